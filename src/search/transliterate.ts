/**
 * Cyrillic questions against English reports. The reports spell places and people in Latin
 * letters ("Pokrovsk", "Zelensky"), so a question that names them in Cyrillic ("Покровськ",
 * "Зеленского") is searched with those names transliterated: Ukrainian by the official Ukrainian
 * system of 2010 (Kharkiv, Mykolaiv, Zaporizhzhia), Russian by the Wikipedia system (iuliia).
 * Other Cyrillic words cannot match English text and would only count against the answer, so
 * they are left out. Pure functions: no I/O, no state.
 */
import { translate as iuliiaTranslate, WIKIPEDIA } from 'iuliia';

const CYRILLIC = /\p{Script=Cyrillic}/u;
/** A Cyrillic word, with inner apostrophes (Мар'їнка). */
const CYRILLIC_WORD = /\p{Script=Cyrillic}+(?:['’ʼ]\p{Script=Cyrillic}+)*/gu;
const UKRAINIAN_ONLY = /[ҐґЄєІіЇї]/u;
const RUSSIAN_ONLY = /[ЁёЫыЭэЪъ]/u;

/**
 * Words that start questions or sentences without being names (question words, conjunctions,
 * prepositions, "tell me"), and that tell Ukrainian from Russian where the letters do not.
 */
const UKRAINIAN_WORDS = new Set(
  'що чи як де коли хто чому навіщо скільки який яка яке які якого якій куди звідки чий чия а і й та в у на з із до по за про під над є це ці цей ця так ні не розкажи скажи покажи поясни'.split(' '),
);
const RUSSIAN_WORDS = new Set(
  'что как где когда кто почему зачем сколько какой какая какое какие какого куда откуда чей чья и в на с из до по за о об про под над есть это эти этот эта да нет не ли расскажи скажи покажи объясни'.split(' '),
);

/** Names whose English form is not their transliteration, keyed by a stem that covers their case forms. */
const ENGLISH_NAMES: ReadonlyArray<readonly [stem: string, english: string]> = [
  ['сша', 'US'],
  ['нато', 'NATO'],
  ['зсу', 'Ukrainian forces'],
  ['всу', 'Ukrainian forces'],
  ['ппо', 'air defense'],
  ['пво', 'air defense'],
  ['єс', 'EU'],
  ['ес', 'EU'],
  ['оон', 'UN'],
  ['рф', 'Russia'],
  ['магате', 'IAEA'],
  ['росі', 'Russia'],
  ['росси', 'Russia'],
  ['москв', 'Moscow'],
  ['крим', 'Crimea'],
  ['крым', 'Crimea'],
  ['білорус', 'Belarus'],
  ['беларус', 'Belarus'],
  ['кита', 'China'],
  ['європ', 'Europe'],
  ['европ', 'Europe'],
  ['німеччин', 'Germany'],
  ['германи', 'Germany'],
  ['польщ', 'Poland'],
  ['польш', 'Poland'],
  ['франці', 'France'],
  ['франци', 'France'],
  ['британі', 'Britain'],
  ['британи', 'Britain'],
  ['туреччин', 'Turkey'],
  ['турци', 'Turkey'],
];
/** Stems of two or three letters must be the whole word (США, ЄС); longer ones may be followed by a case ending. */
const WHOLE_WORD_STEM_LENGTH = 3;

/**
 * Case and adjective endings cut before transliterating, so "Покровськом" searches like "Покровськ"
 * and "Курській (області)" like "Kursk". One-letter
 * endings are left alone: the search's one-typo tolerance already matches "Pokrovska" to "Pokrovsk".
 */
const CASE_ENDINGS = ['ами', 'ями', 'ого', 'ому', 'его', 'ему', 'ом', 'ем', 'ою', 'ею', 'ах', 'ях', 'им', 'ым', 'ій', 'ий', 'ый', 'ой', 'ая', 'ої'];
/** A cut must leave this many letters, so short names (Крим, Рим) stay whole. */
const MIN_STEM_LETTERS = 4;

/** Ukrainian national transliteration (Cabinet of Ministers resolution 55, 2010): [anywhere, at the start of a word]. */
const UKRAINIAN: Record<string, string | readonly [string, string]> = {
  а: 'a', б: 'b', в: 'v', г: 'h', ґ: 'g', д: 'd', е: 'e', є: ['ie', 'ye'], ж: 'zh', з: 'z', и: 'y', і: 'i',
  ї: ['i', 'yi'], й: ['i', 'y'], к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't',
  у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ь: '', ю: ['iu', 'yu'], я: ['ia', 'ya'],
  // Russian letters in a word read as Ukrainian (a mixed spelling).
  ё: ['io', 'yo'], ы: 'y', э: 'e', ъ: '',
};

/** True when `text` contains a Cyrillic letter. */
export function hasCyrillic(text: string): boolean {
  return CYRILLIC.test(text);
}

function transliterateUkrainian(word: string): string {
  let out = '';
  const lower = word.toLowerCase().replace(/['’ʼ]/g, '');
  for (let i = 0; i < lower.length; i++) {
    const ch = lower[i]!;
    // "зг" is written "zgh" so that it does not read as "zh".
    if (ch === 'г' && lower[i - 1] === 'з') {
      out += 'gh';
      continue;
    }
    const mapped = UKRAINIAN[ch];
    if (mapped === undefined) out += ch;
    else if (typeof mapped === 'string') out += mapped;
    else out += i === 0 ? mapped[1] : mapped[0];
  }
  return out;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** A name's English or Latin spelling. */
export function transliterateName(name: string, language: 'uk' | 'ru'): string {
  const lower = name.toLowerCase();
  for (const [stem, english] of ENGLISH_NAMES) {
    if (stem.length <= WHOLE_WORD_STEM_LENGTH ? lower === stem : lower.startsWith(stem)) return english;
  }
  const ending = CASE_ENDINGS.find((e) => lower.endsWith(e) && lower.length - e.length >= MIN_STEM_LETTERS);
  const stem = ending === undefined ? name : name.slice(0, name.length - ending.length);
  const wordLanguage = UKRAINIAN_ONLY.test(stem) ? 'uk' : RUSSIAN_ONLY.test(stem) ? 'ru' : language;
  return capitalise(wordLanguage === 'uk' ? transliterateUkrainian(stem) : iuliiaTranslate(stem.toLowerCase(), WIKIPEDIA));
}

/** Capitalised and not a common word; acronyms only when their English form is known (ППО, not a guess). */
function isName(word: string): boolean {
  const first = word.charAt(0);
  const lower = word.toLowerCase();
  if (first === first.toLowerCase() || UKRAINIAN_WORDS.has(lower) || RUSSIAN_WORDS.has(lower)) return false;
  const acronym = word.length >= 2 && word === word.toUpperCase();
  return !acronym || ENGLISH_NAMES.some(([stem]) => lower === stem);
}

/**
 * A sentence's first word is capitalised anyway, so it counts as a name only when it is the
 * sentence's only capitalised word ("Покровськ евакуюють?"); with a name after it, it is most
 * likely a verb or adjective ("Эвакуируют ли жителей Покровска?").
 */
function isCapitalisedOnlyAsFirstWord(question: string, word: string, offset: number): boolean {
  if (!/(^|[.!?…])[^\p{L}\p{N}]*$/u.test(question.slice(0, offset))) return false;
  const rest = question.slice(offset + word.length).split(/[.!?…]/)[0] ?? '';
  return (rest.match(CYRILLIC_WORD) ?? []).some(isName);
}

/** Russian when its letters or its small words say so, Ukrainian otherwise (the reports spell Ukrainian places that way). */
function questionLanguage(question: string): 'uk' | 'ru' {
  if (UKRAINIAN_ONLY.test(question)) return 'uk';
  if (RUSSIAN_ONLY.test(question)) return 'ru';
  let uk = 0;
  let ru = 0;
  for (const word of question.toLowerCase().match(CYRILLIC_WORD) ?? []) {
    if (UKRAINIAN_WORDS.has(word) && !RUSSIAN_WORDS.has(word)) uk++;
    if (RUSSIAN_WORDS.has(word) && !UKRAINIAN_WORDS.has(word)) ru++;
  }
  return ru > uk ? 'ru' : 'uk';
}

/**
 * The question as the English reports can match it: Latin text is kept as is, Cyrillic names
 * (capitalised words, known acronyms) become their Latin or English spelling, other Cyrillic words
 * are dropped (so is a sentence's capitalised first word when a name follows it). Questions
 * without Cyrillic come back unchanged; "Чи евакуюють Покровськ?" → "Pokrovsk?",
 * and a Cyrillic question without names → "".
 */
export function transliterateNames(question: string): string {
  if (!hasCyrillic(question)) return question;
  const language = questionLanguage(question);
  const out = question
    .replace(CYRILLIC_WORD, (word, offset: number) => (isName(word) && !isCapitalisedOnlyAsFirstWord(question, word, offset) ? transliterateName(word, language) : ''))
    .replace(/\s+/g, ' ')
    .replace(/ ([?!.,;:])/g, '$1')
    .trim();
  return /[\p{L}\p{N}]/u.test(out) ? out : '';
}
