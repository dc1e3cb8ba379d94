import type { Span } from '../ingest/sentences';
import type { AnalyzedQuery } from './query';

/** A second sentence is highlighted too when it scores at least this share of the best one. */
const SECOND_SENTENCE_RATIO = 0.8;
const MAX_HIGHLIGHTS = 2;

/** Lexical score of each sentence (given as its set of content terms): the IDF mass of the question words it contains. */
export function scoreSentences(sentenceTerms: ReadonlyArray<ReadonlySet<string>>, query: AnalyzedQuery): number[] {
  return sentenceTerms.map((terms) => {
    let score = 0;
    for (const t of query.content) if (t.matches.some((m) => terms.has(m))) score += t.idf;
    return score;
  });
}

/**
 * The best sentence, plus at most one more that scores nearly as well, in reading order.
 * Empty when no sentence scores above zero.
 */
export function chooseHighlights(sentences: readonly Span[], scores: readonly number[]): Array<[number, number]> {
  const best = Math.max(0, ...scores);
  if (best <= 0) return [];
  return scores
    .map((score, i) => ({ score, i }))
    .filter((x) => x.score >= best * SECOND_SENTENCE_RATIO)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, MAX_HIGHLIGHTS)
    .map((x) => x.i)
    .sort((a, b) => a - b)
    .map((i) => {
      const s = sentences[i] as Span;
      return [s.start, s.end];
    });
}
