/** Tokenising and light stemming shared by ingest-side vocabularies, the BM25 index, the query path and highlighting. */

const STOPWORDS = new Set(
  (
    'a about above after again against all also am an and any are aren as at be because been before being below between both but by ' +
    'can could did didn do does doesn doing don down during each few for from further had has have having he her here hers herself him ' +
    'himself his how i if in into is isn it its itself just let me more most my myself no nor not now of off on once only or other ' +
    'our ours ourselves out over own same she should so some such than that the their theirs them themselves then there these they ' +
    'this those through to too under until up very was wasn we were what when where which while who whom why will with would you ' +
    'your yours yourself yourselves s t d ll m re ve tell say says said know anything something happen happened'
  ).split(' '),
);

export function isStopword(token: string): boolean {
  return STOPWORDS.has(token);
}

function hasVowel(s: string): boolean {
  return /[aeiouy]/.test(s);
}

/**
 * Light English stemmer (Porter step 1 plus final-e removal), so "advance", "advanced",
 * "advances" and "advancing" share the stem "advanc". Consistency matters more than linguistics.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);

  if (w.endsWith('ied') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('eed')) {
    if (w.length > 4) w = w.slice(0, -1);
  } else {
    for (const suffix of ['ing', 'ed']) {
      const base = w.slice(0, -suffix.length);
      if (w.endsWith(suffix) && base.length >= 3 && hasVowel(base)) {
        w = base;
        if (/([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);
        break;
      }
    }
  }
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

/** Code points above ASCII that are only ever a break between tokens (curly quotes, dashes, ellipsis…), by code point. */
const separatorCache = new Map<number, boolean>();

/** True when `cp` leaves no letter or digit after normalisation and is not dropped inside a word (format characters, marks). */
export function isSeparator(cp: number): boolean {
  let known = separatorCache.get(cp);
  if (known === undefined) {
    const ch = String.fromCodePoint(cp);
    known = !/[\p{Cf}\p{M}]/u.test(ch) && !/[\p{L}\p{N}]/u.test(ch.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase());
    separatorCache.set(cp, known);
  }
  return known;
}

/**
 * True when every character of `text` is ASCII or a separator: then normalising changes no token,
 * and the ASCII words of the lower-cased text are its tokens.
 */
export function isPlainText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80 && (c >= 0xd800 && c <= 0xdfff ? true : !isSeparator(c))) return false;
  }
  return true;
}

/** Lower-cased word tokens with accents and format characters removed ("Zelenskyy’s" → "zelenskyy", "s"). */
export function tokenize(text: string): string[] {
  if (isPlainText(text)) return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  return (
    text
      // Zero-width characters and soft hyphens inside a word must not split it.
      .replace(/\p{Cf}+/gu, '')
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** Stems of the non-stopword tokens of `text`, in order. */
export function contentTerms(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenize(text)) if (!isStopword(token)) out.push(stem(token));
  return out;
}
