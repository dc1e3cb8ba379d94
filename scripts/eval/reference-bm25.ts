/**
 * A plain reference BM25 for side-by-side comparison in `npm run eval -- ir`: k1 0.9, b 0.4 (the
 * Anserini/Pyserini defaults), lower-cased alphanumeric tokens, the common English stopwords removed,
 * no stemming, no typo handling, no dense side. It shares no code with the product's search.
 */
import { isStopword } from '../../src/text/tokens';

const K1 = 0.9;
const B = 0.4;

function tokens(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((t) => !isStopword(t));
}

/** Ranks document ids for each query; returns a function from query text to the top `k` ids. */
export function createReferenceBm25(docs: ReadonlyArray<{ id: string; text: string }>): (query: string, k: number) => string[] {
  const postings = new Map<string, Array<[number, number]>>();
  const lengths = docs.map((d, i) => {
    const counts = new Map<string, number>();
    const toks = tokens(d.text);
    for (const t of toks) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const [t, n] of counts) {
      let list = postings.get(t);
      if (!list) postings.set(t, (list = []));
      list.push([i, n]);
    }
    return toks.length;
  });
  const n = docs.length;
  const avg = lengths.reduce((a, b) => a + b, 0) / Math.max(1, n);
  return (query, k) => {
    const scores = new Map<number, number>();
    for (const t of new Set(tokens(query))) {
      const list = postings.get(t);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const [doc, tf] of list) {
        const norm = tf + K1 * (1 - B + (B * (lengths[doc] ?? 0)) / avg);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (K1 + 1)) / norm);
      }
    }
    return [...scores]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, k)
      .map(([doc]) => docs[doc]?.id ?? '');
  };
}
