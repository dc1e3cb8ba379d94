/**
 * Scores the blind question set (tests/fixtures/questions.json) against a searcher: hit@1 / hit@3 per
 * style for answerable questions, and the answer level ("confident", "unsure", "none") per category.
 */
import { readFile } from 'node:fs/promises';
import type { SearchMode, SearchResult, Searcher } from '../../src/search/types';

export interface BlindQuestion {
  id: string;
  question: string;
  style: string;
  answerable: boolean;
  report: string | null;
  phrase: string | null;
  kind: 'near-domain' | 'off-topic' | null;
  split: 'dev' | 'test' | 'train';
}

export type Level = 'confident' | 'unsure' | 'none';

export interface QuestionOutcome {
  q: BlindQuestion;
  result: SearchResult;
  /** Rank (1-based) of the first hit holding the phrase, or null. */
  rank: number | null;
  level: Level;
}

/** The splits `readBlindQuestions` takes: `fit` is everything the weights may be fitted on (dev and train), never test. */
export const SPLITS = ['dev', 'test', 'train', 'fit', 'all'] as const;

/**
 * The blind questions of one split: dev and test from tests/fixtures/questions.json, train from
 * tests/fixtures/questions-train.json (a second blind set, written later, used only for fitting).
 */
export async function readBlindQuestions(split: string): Promise<BlindQuestion[]> {
  const read = async (file: string): Promise<BlindQuestion[]> => (JSON.parse(await readFile(file, 'utf8')) as { questions: BlindQuestion[] }).questions;
  const all = [...(await read('tests/fixtures/questions.json')), ...(await read('tests/fixtures/questions-train.json'))];
  return all.filter((q) => split === 'all' || q.split === split || (split === 'fit' && q.split !== 'test'));
}

/** Every occurrence of the phrase in its report (a paragraph may be repeated). */
function phraseSpans(text: string, phrase: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) out.push([at, at + phrase.length]);
  return out;
}

export async function runBlindQuestions(
  searcher: Searcher,
  reportText: ReadonlyMap<string, string>,
  questions: readonly BlindQuestion[],
  mode: SearchMode = 'hybrid',
): Promise<QuestionOutcome[]> {
  const out: QuestionOutcome[] = [];
  for (const q of questions) {
    const result = await searcher.search(q.question, { k: 3, mode });
    let rank: number | null = null;
    if (q.answerable && q.report && q.phrase) {
      const spans = phraseSpans(reportText.get(q.report) ?? '', q.phrase);
      const i = result.hits.findIndex((h) => h.source === q.report && spans.some(([s, e]) => h.start < e && h.end > s));
      rank = i >= 0 ? i + 1 : null;
    }
    const level: Level = (result as { answer?: Level }).answer ?? (result.answered ? 'confident' : 'none');
    out.push({ q, result, rank, level });
  }
  return out;
}

const round = (x: number): number => Number(x.toFixed(3));

function levels(rows: readonly QuestionOutcome[]): Record<Level, number> {
  const n = Math.max(1, rows.length);
  return {
    confident: round(rows.filter((r) => r.level === 'confident').length / n),
    unsure: round(rows.filter((r) => r.level === 'unsure').length / n),
    none: round(rows.filter((r) => r.level === 'none').length / n),
  };
}

/** The summary printed by `npm run eval -- questions`. */
export function summarise(rows: readonly QuestionOutcome[]): Record<string, unknown> {
  const answerable = rows.filter((r) => r.q.answerable);
  const group = (list: readonly QuestionOutcome[]) => ({
    n: list.length,
    hit1: round(list.filter((r) => r.rank === 1).length / Math.max(1, list.length)),
    hit3: round(list.filter((r) => r.rank !== null).length / Math.max(1, list.length)),
    levels: levels(list),
  });
  const styles = [...new Set(answerable.map((r) => r.q.style))].sort();
  return {
    answerable: group(answerable),
    byStyle: Object.fromEntries(styles.map((s) => [s, group(answerable.filter((r) => r.q.style === s))])),
    nearDomain: { n: rows.filter((r) => r.q.kind === 'near-domain').length, levels: levels(rows.filter((r) => r.q.kind === 'near-domain')) },
    offTopic: { n: rows.filter((r) => r.q.kind === 'off-topic').length, levels: levels(rows.filter((r) => r.q.kind === 'off-topic')) },
    quotesPerAnswer: round(rows.reduce((a, r) => a + r.result.hits.length, 0) / Math.max(1, rows.length)),
    commentHitsShown: rows.reduce((a, r) => a + r.result.hits.filter((h) => h.comment).length, 0),
    hit1Misses: answerable.filter((r) => r.rank !== 1).map((r) => r.q.id),
    noneAnswerable: answerable.filter((r) => r.level === 'none').map((r) => r.q.id),
    confidentNearDomain: rows.filter((r) => r.q.kind === 'near-domain' && r.level === 'confident').map((r) => r.q.id),
    answeredOffTopic: rows.filter((r) => r.q.kind === 'off-topic' && r.level !== 'none').map((r) => r.q.id),
  };
}
