import type { ReportFormat } from '../ingest/types';
import type { AnswerLevel, AnswerSignals } from './answerability';

/** Plain data returned by search. Nothing here knows about Telegram. */

export type SearchMode = 'hybrid' | 'dense' | 'lexical';

export interface SearchOptions {
  /** Number of hits to return (default 5). */
  k?: number;
  /** Skip this many hits first (for "More results"). */
  offset?: number;
  mode?: SearchMode;
}

export interface SearchHit {
  passageId: string;
  /** Report path relative to the reports folder. */
  source: string;
  /** Human title of the report. */
  title: string;
  /** The report's date, ISO YYYY-MM-DD, or null when unknown. */
  date: string | null;
  /** Link to the report's original, or null. */
  url: string | null;
  /** 1-based page where the passage starts (PDF reports), else null. */
  page: number | null;
  /** Page where the passage ends (PDF reports; equal to `page` unless it runs over a page break), else null. */
  endPage: number | null;
  heading: string | null;
  paragraph: number;
  /** Which part of its paragraph the passage is (1-based), and of how many: long paragraphs are cut. */
  part: number;
  parts: number;
  /** True when the passage is a reader comment rather than the report's own text. */
  comment: boolean;
  /** Character offsets into the report text. */
  start: number;
  end: number;
  /** Verbatim passage text: reportText.slice(start, end). */
  text: string;
  /** Fused relevance score, higher is better (comparable within one result list only). */
  score: number;
  /** Ranges of the best-answering sentence(s), as offsets into the report text. */
  highlights: Array<[number, number]>;
}

export interface SearchResult {
  /** The question as searched (trimmed, possibly truncated). */
  question: string;
  /** True when the question was longer than the search limit and was cut. */
  truncated: boolean;
  /**
   * How sure the answer is: `confident` (the hits answer it), `unsure` (the reports' subject, but
   * no passage clearly answers: the hits are the closest passages) or `none` (off-topic or nothing related).
   */
  answer: AnswerLevel;
  /** False means "not in the reports" (answer is `none`). */
  answered: boolean;
  /** Calibrated confidence in [0, 1] that the top hit answers the question. */
  confidence: number;
  hits: SearchHit[];
  /** Whether more hits exist after offset + k. */
  hasMore: boolean;
  /** The raw evidence behind `confidence` (null for a side the mode does not use). */
  signals: AnswerSignals;
}

/** Surrounding text of a passage, for "Show context". */
export interface PassageContext {
  passageId: string;
  source: string;
  title: string;
  date: string | null;
  url: string | null;
  /** First and last page of the passage itself (PDF reports), else null. */
  page: number | null;
  endPage: number | null;
  paragraph: number;
  /** Offsets into the report of the whole context window. */
  start: number;
  end: number;
  text: string;
  /** Offsets into the report of the passage itself inside the window. */
  focus: [number, number];
}

export interface ReportSummary {
  /** Path relative to the reports folder. */
  source: string;
  /** Stable display id from the path ("003"). */
  label: string;
  title: string;
  /** ISO YYYY-MM-DD or null. */
  date: string | null;
  url: string | null;
  format: ReportFormat;
  passages: number;
}

export interface IndexStats {
  /** Id of the build these stats describe (changes with every published build). */
  buildId: string;
  reports: number;
  passages: number;
  modelId: string;
  dims: number;
  offlineModel: boolean;
  builtAt: string;
  /** The build folder the index was loaded from. */
  indexDir: string;
  /** The reports folder the index was built from. */
  reportsDir: string;
  /** The search profile (ranker and answer-level weights) in use, and whether it was fitted for this model. */
  searchProfile: string;
  profileFitted: boolean;
}

/** The search API the bot and the CLI depend on. */
export interface Searcher {
  search(question: string, options?: SearchOptions): Promise<SearchResult>;
  context(passageId: string): PassageContext | null;
  reports(): ReportSummary[];
  /** Names the reports mention most widely (people, places, weapons), for "they cover …" hints. */
  topics(): string[];
  /**
   * The `k` passages of one report that carry the most information (rare words for their length),
   * in reading order, without highlights. Empty for an unknown report.
   */
  keyPassages(source: string, k: number): SearchHit[];
  stats(): IndexStats;
  /**
   * The searcher over one fixed index that serves calls right now. A searcher whose index can be
   * swapped returns its current one, so work spanning several calls (search, then report numbers)
   * stays on one index. A searcher over a fixed index returns itself.
   */
  snapshot(): Searcher;
}
