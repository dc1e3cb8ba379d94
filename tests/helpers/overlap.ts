import type { Searcher } from '../../src/search/types';

/** Mean set overlap of the top-3 passages (by report and offsets) of two searchers over `questions`. */
export async function topThreeOverlap(a: Searcher, b: Searcher, questions: string[]): Promise<{ mean: number; identical: number }> {
  let sum = 0;
  let identical = 0;
  for (const q of questions) {
    const key = (h: { source: string; start: number; end: number }) => `${h.source}:${h.start}-${h.end}`;
    const ta = (await a.search(q, { k: 3 })).hits.map(key);
    const tb = (await b.search(q, { k: 3 })).hits.map(key);
    const shared = ta.filter((k) => tb.includes(k)).length;
    const size = Math.max(ta.length, tb.length);
    sum += size === 0 ? 1 : shared / size;
    if (ta.join() === tb.join()) identical++;
  }
  return { mean: sum / questions.length, identical };
}
