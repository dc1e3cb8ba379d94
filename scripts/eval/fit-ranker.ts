/**
 * Fits the learned ranker (src/search/ranker.ts) by pairwise logistic regression: for each query,
 * every (more relevant, less relevant) pair of its candidates should score in that order.
 */
import { RANK_FEATURES, type RankerModel, type RankFeature } from '../../src/search/ranker';

/** One query's candidates: feature vectors with graded relevance (0 = not relevant). */
export interface RankGroup {
  /** Which collection the query comes from; each collection gets its share of the weight. */
  collection: string;
  candidates: Array<{ x: number[]; rel: number }>;
}

/** Negatives paired with each relevant candidate, at most: enough signal, bounded cost. */
const MAX_PAIRS_PER_POSITIVE = 15;
const EPOCHS = 1500;
const LEARNING_RATE = 0.5;
/** L2 chosen by 5-fold CV on the dev questions (0.001–0.1 tried; 0.01 best, `npm run eval -- fit-ranker`). */
const L2 = 0.01;

/**
 * Fits weights; `shares` gives each collection's total weight (queries within one weigh alike).
 * Features in `frozen` keep the weight given there (stagewise fitting of a new feature). Returns the
 * model on the raw feature scale.
 */
export function fitRanker(groups: readonly RankGroup[], shares: Readonly<Record<string, number>>, frozen: Partial<Record<RankFeature, number>> = {}): RankerModel {
  const d = RANK_FEATURES.length;
  const pairs: Array<{ diff: number[]; w: number }> = [];
  const perCollection = new Map<string, number>();
  for (const g of groups) {
    const hasPairs = g.candidates.some((c) => c.rel > 0) && g.candidates.some((c) => c.rel === 0);
    if (hasPairs) perCollection.set(g.collection, (perCollection.get(g.collection) ?? 0) + 1);
  }
  for (const g of groups) {
    const queries = perCollection.get(g.collection);
    if (!queries) continue;
    const groupPairs: number[][] = [];
    const sorted = [...g.candidates].sort((a, b) => b.rel - a.rel);
    for (const pos of sorted) {
      if (pos.rel <= 0) break;
      let n = 0;
      for (const neg of sorted) {
        if (neg.rel >= pos.rel) continue;
        groupPairs.push(pos.x.map((v, j) => v - (neg.x[j] ?? 0)));
        if (++n >= MAX_PAIRS_PER_POSITIVE) break;
      }
    }
    if (groupPairs.length === 0) continue;
    const w = (shares[g.collection] ?? 0) / queries / groupPairs.length;
    for (const diff of groupPairs) pairs.push({ diff, w });
  }
  const total = pairs.reduce((a, p) => a + p.w, 0) || 1;
  const sd = RANK_FEATURES.map((_, j) => Math.sqrt(pairs.reduce((a, p) => a + p.w * (p.diff[j] ?? 0) ** 2, 0) / total) || 1);
  const xs = pairs.map((p) => p.diff.map((v, j) => v / (sd[j] ?? 1)));
  const fixed = RANK_FEATURES.map((name) => frozen[name] !== undefined);
  const w = RANK_FEATURES.map((name, j) => (frozen[name] ?? 0) * (sd[j] ?? 1));
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const g = new Array<number>(d).fill(0);
    pairs.forEach((p, i) => {
      const x = xs[i] ?? [];
      let z = 0;
      for (let j = 0; j < d; j++) z += (w[j] ?? 0) * (x[j] ?? 0);
      const e = (1 / (1 + Math.exp(-z)) - 1) * p.w;
      for (let j = 0; j < d; j++) g[j] = (g[j] ?? 0) + e * (x[j] ?? 0);
    });
    for (let j = 0; j < d; j++) if (!fixed[j]) w[j] = (w[j] ?? 0) - LEARNING_RATE * ((g[j] ?? 0) / total + L2 * (w[j] ?? 0));
  }
  const weights = {} as Record<RankFeature, number>;
  RANK_FEATURES.forEach((name, j) => {
    weights[name] = frozen[name] ?? Number(((w[j] ?? 0) / (sd[j] ?? 1)).toFixed(4));
  });
  return { weights };
}
