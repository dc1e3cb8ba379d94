import type { Bm25Index, WeightedTerm } from './bm25';
import { isStopword, stem, tokenize } from '../text/tokens';
import { isFramingWord, isSmallWordTypo, withoutQuestionNumber } from './question-words';
import type { TypoIndex } from './typos';

/** A corrected typo counts a little less than an exact match, since the correction may be wrong. */
const TYPO_WEIGHT = 0.8;
/** Known long terms also match corpus misspellings one edit away ("Russia" → "Russiaj"), weakly. */
export const MISSPELLING_WEIGHT = 0.3;
const MISSPELLING_MIN_LENGTH = 6;

export interface QueryTerm {
  stem: string;
  /** Vocabulary terms that count as this term in a passage (the stem itself and/or typo neighbours). */
  matches: string[];
  /** How much the term matters for deciding whether a passage answers the question. */
  idf: number;
}

export interface AnalyzedQuery {
  /** Weighted terms for BM25. */
  terms: WeightedTerm[];
  /** One entry per distinct content word of the question. */
  content: QueryTerm[];
  /** Content words the reports never use, not even one typo away (as written, lower-cased). */
  unknown: string[];
  /**
   * The question as the dense side should read it: lower-cased words, misspelt words replaced by the
   * report words they were corrected to, small-word typos and framing words left out.
   */
  spelled: string;
}

/** Stems the question, drops stopwords, corrects typos against the index vocabulary and weights the terms. */
export function analyzeQuery(question: string, bm25: Bm25Index, typos: TypoIndex, misspellingWeight = MISSPELLING_WEIGHT): AnalyzedQuery {
  const terms = new Map<string, number>();
  const content: QueryTerm[] = [];
  const unknown: string[] = [];
  const addTerm = (term: string, weight: number): void => {
    terms.set(term, Math.max(terms.get(term) ?? 0, weight));
  };
  const surface = bm25.surfaceForms();
  /** Report words one edit from `token` whose stem is another indexed stem than `s`. */
  const wordsNear = (token: string, s: string): string[] =>
    typos.neighbours(token).filter((n) => {
      const t = surface.get(n) ?? n;
      return t !== s && bm25.has(t);
    });
  const stemsOf = (words: string[]): string[] => [...new Set(words.map((n) => surface.get(n) ?? n))];
  const seen = new Set<string>();
  const spelled: string[] = [];
  for (const token of tokenize(withoutQuestionNumber(question))) {
    if (isFramingWord(token)) continue;
    if (isStopword(token)) {
      spelled.push(token);
      continue;
    }
    const s = stem(token);
    const known = bm25.has(s);
    const corrected = known ? [] : wordsNear(token, s);
    if (known) spelled.push(token);
    else if (corrected.length > 0) spelled.push(...corrected);
    else if (!isSmallWordTypo(token)) spelled.push(token);
    if (seen.has(s)) continue;
    seen.add(s);
    if (known) {
      addTerm(s, 1);
      const near = token.length >= MISSPELLING_MIN_LENGTH && misspellingWeight > 0 ? stemsOf(wordsNear(token, s)) : [];
      for (const n of near) addTerm(n, misspellingWeight);
      content.push({ stem: s, matches: [s, ...near], idf: bm25.idf(s) });
      continue;
    }
    const corrections = stemsOf(corrected);
    if (corrections.length === 0 && isSmallWordTypo(token)) continue;
    if (corrections.length === 0) unknown.push(token);
    for (const c of corrections) addTerm(c, TYPO_WEIGHT);
    // A corrected word matters like the commonest correction; an unknown word like the rarest word.
    const idf = corrections.length > 0 ? Math.min(...corrections.map((c) => bm25.idf(c))) : bm25.idf(s);
    content.push({ stem: s, matches: corrections, idf });
  }
  return { terms: [...terms].map(([term, weight]) => ({ term, weight })), content, unknown, spelled: spelled.join(' ') };
}

/**
 * A question word the reports use elsewhere but this passage lacks may be paraphrased in it,
 * so it counts this much; a word the reports never use counts fully (the topic is not there).
 */
const PARAPHRASABLE_WEIGHT = 0.5;

/** Share of the question's content (IDF-weighted) found by `contains` (a passage's or a sentence's terms). */
export function coverage(query: AnalyzedQuery, contains: (term: string) => boolean): number {
  let total = 0;
  let found = 0;
  for (const t of query.content) {
    if (t.matches.some(contains)) {
      found += t.idf;
      total += t.idf;
    } else total += t.matches.length > 0 ? t.idf * PARAPHRASABLE_WEIGHT : t.idf;
  }
  return total > 0 ? found / total : 0;
}

/** IDF share of the question's content words that the reports never use, not even misspelt. */
export function unknownShare(query: AnalyzedQuery): number {
  let total = 0;
  let unknown = 0;
  for (const t of query.content) {
    total += t.idf;
    if (t.matches.length === 0) unknown += t.idf;
  }
  return total > 0 ? unknown / total : 0;
}

/** IDF share of the question's words that the reports use (or correct to) but `contains` lacks. */
export function missingShare(query: AnalyzedQuery, contains: (term: string) => boolean): number {
  let total = 0;
  let missing = 0;
  for (const t of query.content) {
    total += t.idf;
    if (t.matches.length > 0 && !t.matches.some(contains)) missing += t.idf;
  }
  return total > 0 ? missing / total : 0;
}
