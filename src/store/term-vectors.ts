/**
 * Vectors for the corpus's own words, so search can find report words that mean what a question's
 * unknown word means ("recapture" → "retake"). Built with the index's model and stored beside it.
 */
import type { EnglishRanks } from '../embed/english-ranks';
import type { Embedder } from '../embed/types';
import { isStopword, tokenize } from '../text/tokens';

export interface TermVectors {
  /** Distinct corpus words (lower-cased surface forms), sorted. */
  words: string[];
  /** Row-major L2-normalised vectors, one row per word. */
  vectors: Float32Array;
  /**
   * Each word's English frequency rank (0: rarer than the ranked list), or null when the build had
   * no English frequencies.
   */
  ranks: number[] | null;
}

/** Words shorter than this, or with digits, carry too little meaning to expand a question with. */
const MIN_WORD_LENGTH = 3;

/** The corpus words worth a vector. */
export function corpusWords(texts: Iterable<string>): string[] {
  const words = new Set<string>();
  for (const text of texts) {
    for (const token of tokenize(text)) {
      if (token.length >= MIN_WORD_LENGTH && !/\d/.test(token) && !isStopword(token)) words.add(token);
    }
  }
  return [...words].sort();
}

/** Embeds every corpus word, reusing vectors of words that a previous build already embedded. */
export async function embedTerms(
  texts: Iterable<string>,
  embedder: Embedder,
  previous?: TermVectors | null,
  englishRanks?: EnglishRanks,
): Promise<TermVectors> {
  const dims = embedder.info.dims;
  const words = corpusWords(texts);
  const vectors = new Float32Array(words.length * dims);
  const prevRow = new Map((previous?.words ?? []).map((w, i) => [w, i]));
  const missing: number[] = [];
  words.forEach((w, i) => {
    const j = prevRow.get(w);
    if (previous && j !== undefined) vectors.set(previous.vectors.subarray(j * dims, (j + 1) * dims), i * dims);
    else missing.push(i);
  });
  const fresh = await embedder.embedPassages(missing.map((i) => words[i] ?? ''));
  fresh.forEach((v, k) => vectors.set(v, (missing[k] ?? 0) * dims));
  return { words, vectors, ranks: englishRanks ? words.map((w) => englishRanks.get(w) ?? 0) : null };
}
