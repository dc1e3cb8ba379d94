/**
 * The answer pipeline shared by the Telegram bot and console mode: clean the question, search,
 * and compose the reply as neutral blocks. Every quote is the searcher's verbatim passage text.
 */
import type { Translate } from '../i18n/words';
import { normaliseQuestion } from '../search/searcher';
import type { AnswerLevel } from '../search/answerability';
import { hasCyrillic } from '../search/transliterate';
import type { PassageContext, SearchHit, SearchMode, Searcher } from '../search/types';
import { emphasis, highlightSpans, text, type Block, type QuoteBlock } from './document';
import { ReportNumbers } from './source-label';

export interface PreparedQuestion {
  question: string;
  /** True when we cut the question to MAX_QUESTION_CHARS. */
  truncated: boolean;
}

export interface AnswerPage {
  /** The question as searched. */
  question: string;
  truncated: boolean;
  /** `confident`: the quotes answer it; `unsure`: the closest passages, shown as such; `none`: not in the reports. */
  level: AnswerLevel;
  answered: boolean;
  confidence: number;
  /** Names the reports cover often, for the `none` reply's hint. */
  topics: string[];
  /** Number of hits skipped before this page. */
  offset: number;
  quotes: QuoteBlock[];
  /** Offset of the next page, or null when there is none. */
  nextOffset: number | null;
}

/** The question as it will be searched (see normaliseQuestion); null for an empty question. */
export function prepareQuestion(raw: string): PreparedQuestion | null {
  const prepared = normaliseQuestion(raw);
  return prepared.question === '' ? null : prepared;
}

const numbersBySearcher = new WeakMap<Searcher, ReportNumbers>();

/** Report numbering for a searcher's current index, computed once per index (its report list is fixed). */
export function reportNumbers(searcher: Searcher): ReportNumbers {
  const fixed = searcher.snapshot();
  let numbers = numbersBySearcher.get(fixed);
  if (numbers === undefined) {
    numbers = new ReportNumbers(fixed.reports());
    numbersBySearcher.set(fixed, numbers);
  }
  return numbers;
}

/** Searches one page of passages for a prepared question. */
export async function findAnswer(
  searcher: Searcher,
  prepared: PreparedQuestion,
  page: { offset: number; k: number; mode?: SearchMode },
): Promise<AnswerPage> {
  const fixed = searcher.snapshot();
  const result = await fixed.search(prepared.question, page);
  const numbers = reportNumbers(fixed);
  const quotes = result.answered ? result.hits.map((hit, i) => quoteOf(hit, numbers, page.offset + i + 1)) : [];
  return {
    question: result.question,
    truncated: prepared.truncated || result.truncated,
    level: result.answer,
    answered: result.answered,
    confidence: result.confidence,
    topics: result.answered ? [] : fixed.topics(),
    offset: page.offset,
    quotes,
    nextOffset: result.answered && result.hasMore ? page.offset + result.hits.length : null,
  };
}

/**
 * A hit as a quote block: verbatim passage, answering sentence(s) strong, with its source line,
 * numbered as "Context N" and console `/context N` count.
 */
export function quoteOf(hit: SearchHit, numbers: ReportNumbers, number: number): QuoteBlock {
  const ranges = hit.highlights.map(([s, e]) => [s - hit.start, e - hit.start] as const);
  const line = numbers.label(hit);
  const prefix = `${number}. `;
  return {
    kind: 'quote',
    spans: highlightSpans(hit.text, ranges),
    source: prefix + line.text,
    ...(line.link === null ? {} : { sourceLink: { ...line.link, offset: line.link.offset + prefix.length } }),
    title: hit.title,
    passageId: hit.passageId,
  };
}

/** The reply for one answer page: frame notes (in the words of `t`), then the quotes. */
export function composeAnswer(page: AnswerPage, t: Translate): Block[] {
  const blocks: Block[] = [];
  if (page.truncated) {
    blocks.push(text(emphasis(t('answer-truncated', { chars: page.question.length }))));
  }
  if (page.offset === 0 && hasCyrillic(page.question)) {
    blocks.push(text(emphasis(t('answer-reports-in-english'))));
  }
  if (!page.answered || page.quotes.length === 0) {
    if (page.offset > 0) {
      blocks.push(text(t('answer-no-more')));
    } else {
      blocks.push(text(t('answer-not-found')));
      const covers = page.topics.length > 0 ? `${t('answer-not-found-topics', { topics: page.topics.join(', ') })} ` : '';
      blocks.push(text(`${covers}${t('answer-not-found-hint')}`));
    }
    return blocks;
  }
  if (page.level === 'unsure' && page.offset === 0) blocks.push(text(emphasis(t('answer-unsure'))));
  if (page.offset > 0) {
    blocks.push(text(t('answer-more-results', { from: page.offset + 1, to: page.offset + page.quotes.length })));
  }
  blocks.push(...page.quotes);
  return blocks;
}

/** The "Show context" reply: the surrounding paragraphs with the passage itself strong. */
export function composeContext(context: PassageContext, numbers: ReportNumbers, t: Translate): Block[] {
  const focus = [[context.focus[0] - context.start, context.focus[1] - context.start] as const];
  const line = numbers.label(context);
  return [
    text(emphasis(t('answer-context'))),
    {
      kind: 'quote',
      spans: highlightSpans(context.text, focus),
      source: line.text,
      ...(line.link === null ? {} : { sourceLink: line.link }),
      title: context.title,
      passageId: context.passageId,
    },
  ];
}
