/**
 * Vectors for the corpus's own words, so search can find report words that mean what a question's
 * unknown word means ("recapture" → "retake"). Built with the index's model and stored beside it.
 */
import { induceVectors } from '../embed/a-la-carte';
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
  /** Rows (sorted) whose vector was induced from the word's contexts because the model lacks the word. */
  induced?: number[];
}

/** A model vector this close to the empty text's vector means the model does not know the word. */
const UNKNOWN_WORD_COSINE = 0.999;

/** Words shorter than this, or with digits, carry too little meaning to expand a question with. */
const MIN_WORD_LENGTH = 3;

/** The corpus words worth a vector. */
export function corpusWords(texts: Iterable<string>): string[] {
  const words = new Set<string>();
  for (const text of texts) {
    for (const token of tokenize(text)) {
      if (token.length >= MIN_WORD_LENGTH && !words.has(token) && !/\d/.test(token) && !isStopword(token)) words.add(token);
    }
  }
  return [...words].sort();
}

/** Embeds every corpus word, reusing vectors of words that a previous build already embedded. */
export async function embedTerms(
  corpus: Iterable<string>,
  embedder: Embedder,
  previous?: TermVectors | null,
  englishRanks?: EnglishRanks,
): Promise<TermVectors> {
  const dims = embedder.info.dims;
  const texts = [...corpus];
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
  const ranks = englishRanks ? words.map((w) => englishRanks.get(w) ?? 0) : null;
  if (!embedder.info.offline) return { words, vectors, ranks };
  const induced = await induceUnknownWords(texts, words, vectors, embedder, previous);
  return { words, vectors, ranks, induced };
}

/**
 * Replaces the vectors of the words the static offline model lacks (it maps them all to the empty
 * text's vector) by vectors induced from their contexts. Returns the rows replaced.
 */
async function induceUnknownWords(texts: string[], words: string[], vectors: Float32Array, embedder: Embedder, previous?: TermVectors | null): Promise<number[]> {
  const dims = embedder.info.dims;
  const [empty] = await embedder.embedPassages(['']);
  const wasInduced = new Set((previous?.induced ?? []).map((i) => previous?.words[i]));
  const known = new Map<string, Float32Array>();
  const unknown = new Set<string>();
  words.forEach((w, i) => {
    const v = vectors.subarray(i * dims, (i + 1) * dims);
    let c = 0;
    for (let d = 0; d < dims; d++) c += (v[d] ?? 0) * (empty?.[d] ?? 0);
    if (wasInduced.has(w) || c >= UNKNOWN_WORD_COSINE) unknown.add(w);
    else known.set(w, v);
  });
  const induced = induceVectors({ texts, known, unknown, dims });
  const rows: number[] = [];
  words.forEach((w, i) => {
    const v = induced.get(w);
    if (v) {
      vectors.set(v, i * dims);
      rows.push(i);
    }
  });
  return rows;
}

/** The induced word vectors of `terms`, by word. */
export function inducedWords(terms: TermVectors, dims: number): Map<string, Float32Array> {
  return new Map((terms.induced ?? []).map((i) => [terms.words[i] ?? '', terms.vectors.subarray(i * dims, (i + 1) * dims)]));
}
