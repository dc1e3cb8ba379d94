/**
 * Query expansion by meaning: a question word the reports never use ("recapture") is matched to the
 * report words whose vectors are closest ("retake", "counteroffensive"), weighted by similarity.
 */
import type { TermVectors } from '../store/term-vectors';

/** Neighbours kept per unknown word; more mostly adds noise. */
export const EXPANSION_NEIGHBOURS = 5;
/** Cosine below which a corpus word is not taken as meaning the same (tuned on the dev questions). */
export const EXPANSION_MIN_COSINE = 0.5;
/** BM25 weight of an expansion term, times its cosine: a guess counts less than the word itself. */
export const EXPANSION_WEIGHT = 0.5;

export interface Neighbour {
  word: string;
  cosine: number;
}

export interface TermExpander {
  /** Every corpus word with cosine ≥ EXPANSION_MIN_COSINE to `vector`, best first (ties by word). */
  nearest(vector: Float32Array): Neighbour[];
  /** Corpus words closest to `vector` (cosine ≥ EXPANSION_MIN_COSINE), best first, skipping `exclude`. */
  neighbours(vector: Float32Array, exclude: (word: string) => boolean): Neighbour[];
}

/** The first EXPANSION_NEIGHBOURS of `nearest` (as `TermExpander.nearest` lists them) that `exclude` lets through. */
export function pickNeighbours(nearest: readonly Neighbour[], exclude: (word: string) => boolean): Neighbour[] {
  const out: Neighbour[] = [];
  for (const n of nearest) {
    if (exclude(n.word)) continue;
    out.push(n);
    if (out.length >= EXPANSION_NEIGHBOURS) break;
  }
  return out;
}

export function createTermExpander(terms: TermVectors, dims: number): TermExpander {
  const { words, vectors } = terms;
  const nearest = (vector: Float32Array): Neighbour[] => {
    const found: Neighbour[] = [];
    for (let i = 0; i < words.length; i++) {
      let c = 0;
      const base = i * dims;
      for (let d = 0; d < dims; d++) c += (vector[d] ?? 0) * (vectors[base + d] ?? 0);
      if (c >= EXPANSION_MIN_COSINE) found.push({ word: words[i] ?? '', cosine: c });
    }
    return found.sort((a, b) => b.cosine - a.cosine || (a.word < b.word ? -1 : 1));
  };
  return { nearest, neighbours: (vector, exclude) => pickNeighbours(nearest(vector), exclude) };
}
