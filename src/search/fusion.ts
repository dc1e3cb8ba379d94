/** Combining lexical and dense rankings into one. */

export type FusionMethod = { kind: 'rrf'; k: number } | { kind: 'convex'; alpha: number };

/**
 * Chosen by measurement (docs/search-quality.md, `npm run eval`): convex fusion beat RRF on Cranfield,
 * MED and the seed questions; alpha 0.3 keeps BM25's quality on Cranfield/MED with the offline model
 * while dense recall lifts the seed questions. Higher alphas trade IR quality for paraphrase recall.
 */
export const DEFAULT_FUSION: FusionMethod = { kind: 'convex', alpha: 0.3 };

export interface Fused {
  doc: number;
  score: number;
}

function ranks(scores: Map<number, number>): Map<number, number> {
  const sorted = [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return new Map(sorted.map(([doc], i) => [doc, i + 1]));
}

/**
 * Fuses two score maps over the same candidate documents. For `convex`, both maps should hold a
 * score for every candidate (missing means 0); for `rrf`, only ranks matter.
 */
export function fuse(lexical: Map<number, number>, dense: Map<number, number>, method: FusionMethod): Fused[] {
  const docs = new Set([...lexical.keys(), ...dense.keys()]);
  const out: Fused[] = [];
  if (method.kind === 'rrf') {
    const lr = ranks(lexical);
    const dr = ranks(dense);
    for (const doc of docs) {
      const a = lr.get(doc);
      const b = dr.get(doc);
      out.push({ doc, score: (a ? 1 / (method.k + a) : 0) + (b ? 1 / (method.k + b) : 0) });
    }
  } else {
    const lexMax = Math.max(0, ...lexical.values());
    const denseValues = [...dense.values()];
    const dMin = Math.min(...denseValues);
    const dMax = Math.max(...denseValues);
    for (const doc of docs) {
      const l = lexMax > 0 ? (lexical.get(doc) ?? 0) / lexMax : 0;
      const d = dense.has(doc) && dMax > dMin ? ((dense.get(doc) ?? dMin) - dMin) / (dMax - dMin) : 0;
      out.push({ doc, score: method.alpha * d + (1 - method.alpha) * l });
    }
  }
  return out.sort((a, b) => b.score - a.score || a.doc - b.doc);
}
