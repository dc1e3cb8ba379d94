/** The most informative passages of a report, for /latest: no question, so rare words decide. */
import { contentTerms } from '../text/tokens';

/**
 * Indexes (into `texts`) of the `k` texts with the most information: the summed IDF of their
 * distinct content words over the square root of their length, so a passage dense with names and
 * numbers beats both a long ramble and a one-liner. Returned in the texts' order (reading order).
 */
export function mostInformative(texts: readonly string[], idf: (term: string) => number, k: number): number[] {
  const scored = texts.map((text, i) => {
    const terms = contentTerms(text);
    let sum = 0;
    for (const term of new Set(terms)) sum += idf(term);
    return { i, score: terms.length === 0 ? 0 : sum / Math.sqrt(terms.length) };
  });
  return scored
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, Math.max(0, k))
    .map((s) => s.i)
    .sort((a, b) => a - b);
}
