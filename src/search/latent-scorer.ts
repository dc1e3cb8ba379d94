/**
 * Scores passages against a question in the corpus's own latent semantic space (src/embed/latent-semantic.ts).
 * A build fits the model and stores it with the index; an index without one (in memory, Postgres) is fitted
 * here. The ranker reads the score as one feature.
 */
import { createLruCache } from '../cache/lru-cache';
import { fitCorpusLatent, foldIn, type StoredLatent } from '../embed/latent-semantic';
import type { Bm25Index, WeightedTerm } from './bm25';

/** Passages the model is fitted on at most: enough for the main co-occurrence directions, and the fit stays near a second. */
export const LATENT_SAMPLE = 5_000;
/**
 * Below 1,000 passages the model is not fitted: LSI needs many more passages than its 100 dimensions to
 * find co-occurrence rather than noise. It was validated on MED (1,033) and Cranfield (1,400); on the five
 * seed reports (123 passages) it lowered ranker CV top-1 0.747 → 0.719 (100 dimensions) and held-out hit@3
 * 0.893 → 0.854 (12 dimensions).
 */
export const LATENT_MIN_PASSAGES = 1000;
/** Passage vectors kept between searches: a few hundred searches' candidates. */
const VECTOR_CACHE = 8192;

export interface LatentScorer {
  /**
   * Cosine of the question's and each passage's latent vectors (0 for a side with no kept term);
   * `termsOf` gives a passage's content terms (stems, stopwords out), as the searcher already holds them.
   */
  similarities(terms: readonly WeightedTerm[], docs: readonly number[], termsOf: (doc: number) => readonly string[]): number[];
}

/** Fits the model a build stores (null below the passage minimum). */
export function fitLatent(bm25: Bm25Index, options: { minPassages?: number; dims?: number } = {}): StoredLatent | null {
  return fitCorpusLatent(bm25, { sample: LATENT_SAMPLE, minPassages: options.minPassages ?? LATENT_MIN_PASSAGES, dims: options.dims });
}

/** A scorer over a stored model; null when there is none. */
export function createLatentScorer(bm25: Bm25Index, stored: StoredLatent | null): LatentScorer | null {
  if (!stored) return null;
  const ids = new Map<string, number>();
  stored.terms.forEach((t, i) => ids.set(t, i));
  const vectors = createLruCache<number, Float32Array | null>(VECTOR_CACHE);
  const project = (terms: ReadonlyArray<readonly [string, number]>, weight: (term: string, count: number) => number): Float32Array | null => {
    const t: number[] = [];
    const w: number[] = [];
    for (const [term, count] of terms) {
      const id = ids.get(term);
      if (id === undefined) continue;
      t.push(id);
      w.push(weight(term, count));
    }
    return foldIn(stored.projection, stored.dims, t, w);
  };
  const countsOf = (terms: readonly string[]): Array<readonly [string, number]> => {
    const counts = new Map<string, number>();
    for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
    return [...counts];
  };
  return {
    similarities(terms, docs, termsOf) {
      const passageVector = (doc: number): Float32Array | null =>
        vectors.getOrSet(doc, () => project(countsOf(termsOf(doc)), (term, count) => (1 + Math.log(count)) * bm25.idf(term)));
      const q = project(
        terms.map((t) => [t.term, t.weight] as const),
        (term, weight) => weight * bm25.idf(term),
      );
      return docs.map((doc) => {
        const p = q ? passageVector(doc) : null;
        if (!q || !p) return 0;
        let s = 0;
        for (let k = 0; k < q.length; k++) s += (q[k] as number) * (p[k] as number);
        return s;
      });
    },
  };
}
