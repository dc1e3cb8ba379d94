import { isStopword, stem, tokenize } from '../text/tokens';

/** Standard BM25 saturation and length normalisation (Robertson/Sparck Jones defaults). */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

export interface WeightedTerm {
  term: string;
  weight: number;
}

export interface ScoredDoc {
  doc: number;
  score: number;
}

interface Postings {
  docs: Int32Array;
  tfs: Uint16Array;
}

export interface Bm25Index {
  readonly docCount: number;
  vocabulary(): IterableIterator<string>;
  /** Every indexed word as written (lower-cased), with its stem: typo correction works on these. */
  surfaceForms(): ReadonlyMap<string, string>;
  has(term: string): boolean;
  /** Number of documents containing the term. */
  df(term: string): number;
  /** Inverse document frequency; unseen terms get the largest possible value. */
  idf(term: string): number;
  /** Top `limit` documents for the weighted terms, best first. */
  search(terms: WeightedTerm[], limit: number): ScoredDoc[];
  /** BM25 score of one document (for fusing candidates found by another retriever). */
  scoreDoc(terms: WeightedTerm[], doc: number): number;
  /** True when the document contains the term. */
  contains(doc: number, term: string): boolean;
  /** The document's distinct terms with their frequencies, and its length in terms. */
  termsOf(doc: number): { terms: ReadonlyArray<readonly [string, number]>; length: number };
}

function findDoc(p: Postings, doc: number): number {
  let lo = 0;
  let hi = p.docs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const d = p.docs[mid] ?? 0;
    if (d === doc) return mid;
    if (d < doc) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Builds an in-memory BM25 index over `texts` (one document each). */
export function createBm25Index(texts: readonly string[]): Bm25Index {
  const building = new Map<string, { docs: number[]; tfs: number[] }>();
  const lengths = new Float64Array(texts.length);
  const forward: Array<Array<readonly [string, number]>> = [];
  const surface = new Map<string, string>();
  texts.forEach((text, doc) => {
    const terms: string[] = [];
    for (const token of tokenize(text)) {
      if (isStopword(token)) continue;
      let s = surface.get(token);
      if (s === undefined) surface.set(token, (s = stem(token)));
      terms.push(s);
    }
    lengths[doc] = terms.length;
    const counts = new Map<string, number>();
    for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
    forward.push([...counts]);
    for (const [t, n] of counts) {
      let p = building.get(t);
      if (!p) building.set(t, (p = { docs: [], tfs: [] }));
      p.docs.push(doc);
      p.tfs.push(Math.min(n, 65535));
    }
  });
  const postings = new Map<string, Postings>();
  for (const [t, p] of building) postings.set(t, { docs: Int32Array.from(p.docs), tfs: Uint16Array.from(p.tfs) });
  const n = texts.length;
  const avgLength = lengths.reduce((a, b) => a + b, 0) / Math.max(1, n) || 1;
  const idfOf = (df: number): number => Math.log(1 + (n - df + 0.5) / (df + 0.5));
  const maxIdf = idfOf(0);
  // Scratch accumulator reused by every search (searches are synchronous, so never shared); reset via `touched`.
  const scores = new Float64Array(n);
  const tfPart = (tf: number, doc: number): number =>
    (tf * (BM25_K1 + 1)) / (tf + BM25_K1 * (1 - BM25_B + (BM25_B * (lengths[doc] ?? 0)) / avgLength));

  return {
    docCount: n,
    vocabulary: () => postings.keys(),
    surfaceForms: () => surface,
    has: (term) => postings.has(term),
    df: (term) => postings.get(term)?.docs.length ?? 0,
    idf: (term) => {
      const p = postings.get(term);
      return p ? idfOf(p.docs.length) : maxIdf;
    },
    search(terms, limit) {
      const touched: number[] = [];
      for (const { term, weight } of terms) {
        const p = postings.get(term);
        if (!p) continue;
        const w = weight * idfOf(p.docs.length);
        for (let i = 0; i < p.docs.length; i++) {
          const doc = p.docs[i] ?? 0;
          if (scores[doc] === 0) touched.push(doc);
          scores[doc] = (scores[doc] ?? 0) + w * tfPart(p.tfs[i] ?? 0, doc);
        }
      }
      const hits = touched.map((doc) => ({ doc, score: scores[doc] ?? 0 }));
      for (const doc of touched) scores[doc] = 0;
      return hits.sort((a, b) => b.score - a.score || a.doc - b.doc).slice(0, limit);
    },
    scoreDoc(terms, doc) {
      let score = 0;
      for (const { term, weight } of terms) {
        const p = postings.get(term);
        if (!p) continue;
        const i = findDoc(p, doc);
        if (i >= 0) score += weight * idfOf(p.docs.length) * tfPart(p.tfs[i] ?? 0, doc);
      }
      return score;
    },
    termsOf: (doc) => ({ terms: forward[doc] ?? [], length: lengths[doc] ?? 0 }),
    contains(doc, term) {
      const p = postings.get(term);
      return p ? findDoc(p, doc) >= 0 : false;
    },
  };
}
