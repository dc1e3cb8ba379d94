/**
 * A small learned ranker: a linear model over cheap features of each fused candidate, fitted by
 * `npm run eval -- fit-ranker` (pairwise logistic regression on the dev questions plus half of the
 * Cranfield/MED queries) and versioned in each model's search profile (src/search/profiles/).
 */
import type { AnswerType } from './answer-type';
import { holdsAnswerType } from './answer-type';
import { coverage, type AnalyzedQuery } from './query';

export const RANK_FEATURES = [
  'fused',
  'lexical',
  'dense',
  'cosineZ',
  'latent',
  'coverage',
  'sentenceCoverage',
  'proximity',
  'typeMatch',
  'heading',
  'comment',
] as const;
export type RankFeature = (typeof RANK_FEATURES)[number];

/** Weights on the raw feature scale; a candidate's score is their dot product with its features. */
export interface RankerModel {
  weights: Record<RankFeature, number>;
}

/** What the ranker reads about one candidate. */
export interface CandidateEvidence {
  /** Fused score over the best fused score (0–1). */
  fused: number;
  /** BM25 over the best BM25 among the candidates (0–1). */
  lexical: number;
  /** Dense similarity, min-max scaled over the candidates (0–1). */
  dense: number;
  /** Cosine of question and passage vectors as a z-score against the index's off-topic probes, so any model's scale reads alike. */
  cosineZ: number;
  /** Latent semantic similarity (the corpus's own LSI space), min-max scaled over the candidates (0–1). */
  latent: number;
  /** True when the passage holds the (stemmed) term. */
  contains: (term: string) => boolean;
  /** The passage's content terms in reading order. */
  terms: readonly string[];
  /** Each sentence's text and content terms. */
  sentences: ReadonlyArray<{ text: string; terms: ReadonlySet<string> }>;
  /** Content terms of the passage's heading (empty without one). */
  heading: ReadonlySet<string>;
  comment: boolean;
}

/**
 * Shortest stretch of the passage holding every question word it contains, as matched words per
 * word of that stretch (1 when they stand together); 0 when fewer than two question words occur.
 */
export function proximity(query: AnalyzedQuery, terms: readonly string[]): number {
  const which = new Map<string, number>();
  query.content.forEach((t, i) => {
    for (const m of t.matches) if (!which.has(m)) which.set(m, i);
  });
  const positions: Array<[number, number]> = [];
  terms.forEach((term, pos) => {
    const i = which.get(term);
    if (i !== undefined) positions.push([pos, i]);
  });
  const distinct = new Set(positions.map(([, i]) => i)).size;
  if (distinct < 2) return 0;
  const count = new Map<number, number>();
  let have = 0;
  let best = Infinity;
  let left = 0;
  for (let right = 0; right < positions.length; right++) {
    const [, i] = positions[right] ?? [0, 0];
    count.set(i, (count.get(i) ?? 0) + 1);
    if (count.get(i) === 1) have++;
    while (have === distinct) {
      const [lp, li] = positions[left] ?? [0, 0];
      const [rp] = positions[right] ?? [0, 0];
      best = Math.min(best, rp - lp + 1);
      count.set(li, (count.get(li) ?? 1) - 1);
      if (count.get(li) === 0) have--;
      left++;
    }
  }
  return Number.isFinite(best) ? distinct / best : 0;
}

/** The feature vector of one candidate, in RANK_FEATURES order. */
export function rankFeatures(query: AnalyzedQuery, answerType: AnswerType, c: CandidateEvidence): number[] {
  let sentenceCoverage = 0;
  let best: { text: string } | undefined;
  for (const s of c.sentences) {
    const v = coverage(query, (term) => s.terms.has(term));
    if (v > sentenceCoverage || best === undefined) [sentenceCoverage, best] = [Math.max(v, sentenceCoverage), s];
  }
  const f: Record<RankFeature, number> = {
    fused: c.fused,
    lexical: c.lexical,
    dense: c.dense,
    cosineZ: c.cosineZ,
    latent: c.latent,
    coverage: coverage(query, c.contains),
    sentenceCoverage,
    proximity: proximity(query, c.terms),
    typeMatch: answerType !== null && best !== undefined && holdsAnswerType(answerType, best.text) ? 1 : 0,
    heading: c.heading.size > 0 ? coverage(query, (term) => c.heading.has(term)) : 0,
    comment: c.comment ? 1 : 0,
  };
  return RANK_FEATURES.map((name) => f[name]);
}

/** The model's score of a feature vector. */
export function rankScore(model: RankerModel, x: readonly number[]): number {
  let z = 0;
  RANK_FEATURES.forEach((name, j) => {
    z += model.weights[name] * (x[j] ?? 0);
  });
  return z;
}
