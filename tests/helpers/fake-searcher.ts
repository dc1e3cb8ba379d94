/**
 * An in-memory Searcher over a few small fixed reports. Passages are paragraphs; scoring is plain
 * term overlap; highlights are the sentence with the most query terms. All offsets are honest
 * offsets into the report texts, so handler tests can check verbatim quoting.
 */
import { createHash } from 'node:crypto';
import { QueryError } from '../../src/errors';
import { reportLabel } from '../../src/ingest/report-label';
import type {
  IndexStats,
  PassageContext,
  ReportSummary,
  SearchHit,
  SearchOptions,
  SearchResult,
  Searcher,
} from '../../src/search/types';

export interface FakeReport {
  source: string;
  title: string;
  text: string;
  /** ISO date; none by default. */
  date?: string;
  url?: string;
}

export const WEEKLY_ROUNDUP: FakeReport = {
  source: '003_weekly.txt',
  title: 'Weekly roundup',
  text: [
    'Weekly roundup',
    '',
    'This week, heavy fighting raged along the front lines. Cities were struck with missiles and drones.',
    '',
    'Ukraine bolsters domestic defense production. Its homemade Peklo cruise missile has entered series production. Around 100 pieces were manufactured in three months.',
    '',
    'The EU adopted a 15th package of sanctions. The package also hit companies in China and North Korea.',
    '',
    'Air defense deliveries were promised at the summit. Ukraine still does not have the promised air defense systems, officials said.',
    '',
  ].join('\n'),
};

export const TRICKY_NOTES: FakeReport = {
  source: 'notes/budget.txt',
  title: 'Budget <b>notes</b> & *stars* _under_ [brackets] 🚀',
  text: [
    'Budget <b>notes</b> & *stars* _under_ [brackets] 🚀',
    '',
    'The grain budget is <b>€5 million</b> & rising 📈 fast. Markdown *asterisks* and _underscores_ [links](x) stay literal.',
    '',
    'Зерновой экспорт вырос на 12%. 穀物の輸出は増えた。 The grain corridor reopened in August 🚢.',
    '',
  ].join('\n'),
};

export const DEFAULT_FAKE_REPORTS: FakeReport[] = [WEEKLY_ROUNDUP, TRICKY_NOTES];

interface FakePassage {
  id: string;
  report: FakeReport;
  reportIndex: number;
  paragraph: number;
  start: number;
  end: number;
  text: string;
}

const STOPWORDS = new Set([
  'the', 'and', 'was', 'were', 'what', 'which', 'who', 'how', 'did', 'does', 'has', 'have', 'for', 'with', 'about',
  'this', 'that', 'are', 'is', 'its', 'from', 'into', 'any', 'still', 'there', 'their', 'when', 'why', 'where',
]);

/** Lower-case content words of `text`. */
export function terms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= 3 && !STOPWORDS.has(w));
}

/** The id the fake searcher gives a passage (12 hex). */
export function fakePassageId(source: string, start: number): string {
  return createHash('sha256').update(`${source}:${start}`).digest('hex').slice(0, 12);
}

/** The n-th paragraph (1-based) of the weekly roundup and the id the fake searcher gives its passage. */
export function weeklyParagraph(n: number): { text: string; id: string } {
  const m = [...WEEKLY_ROUNDUP.text.matchAll(/[^\n]+(?:\n[^\n]+)*/g)][n - 1]!;
  return { text: m[0], id: fakePassageId(WEEKLY_ROUNDUP.source, m.index) };
}

export interface FakeSearcher extends Searcher {
  /** Every search call, in order. */
  readonly calls: Array<{ question: string; options: SearchOptions | undefined }>;
  /** Makes the next search throw `err`. */
  failNext(err: unknown): void;
  /** All passages, for building expectations. */
  readonly passages: ReadonlyArray<Readonly<FakePassage>>;
}

/** Creates a fake searcher over `reports` (default: a weekly roundup and a tricky-characters note). */
export function createFakeSearcher(reports: FakeReport[] = DEFAULT_FAKE_REPORTS): FakeSearcher {
  const passages: FakePassage[] = [];
  reports.forEach((report, reportIndex) => {
    const re = /[^\n]+(?:\n[^\n]+)*/g;
    let paragraph = 0;
    for (let m = re.exec(report.text); m !== null; m = re.exec(report.text)) {
      paragraph += 1;
      if (paragraph === 1) continue; // the title line
      passages.push({
        id: fakePassageId(report.source, m.index),
        report,
        reportIndex,
        paragraph,
        start: m.index,
        end: m.index + m[0].length,
        text: m[0],
      });
    }
  });
  let pendingFailure: unknown = null;
  const calls: FakeSearcher['calls'] = [];

  const hitOf = (p: FakePassage, score: number, queryTerms: Set<string>): SearchHit => ({
    passageId: p.id,
    source: p.report.source,
    title: p.report.title,
    date: p.report.date ?? null,
    url: p.report.url ?? null,
    page: null,
    endPage: null,
    heading: null,
    comment: false,
    part: 1,
    parts: 1,
    paragraph: p.paragraph,
    start: p.start,
    end: p.end,
    text: p.text,
    score,
    highlights: [bestSentence(p, queryTerms)],
  });

  return {
    calls,
    passages,
    failNext(err) {
      pendingFailure = err;
    },
    async search(question, options) {
      calls.push({ question, options });
      if (pendingFailure !== null) {
        const err = pendingFailure;
        pendingFailure = null;
        throw err;
      }
      const q = question.trim();
      if (q === '') throw new QueryError('empty question');
      const queryTerms = new Set(terms(q));
      const scored = passages
        .map((p) => ({ p, score: overlap(p.text, queryTerms) }))
        .filter((s) => s.score > 0)
        .sort((a, b) => b.score - a.score || a.p.reportIndex - b.p.reportIndex || a.p.start - b.p.start);
      const best = scored[0]?.score ?? 0;
      // Two shared words (or the only word) answer; one of several is the reports' subject but unsure.
      const answer = best >= 2 || (queryTerms.size === 1 && best === 1) ? 'confident' : best === 1 ? 'unsure' : 'none';
      const offset = options?.offset ?? 0;
      const k = options?.k ?? 5;
      const page = scored.slice(offset, offset + k);
      return {
        question: q,
        truncated: false,
        answer,
        answered: answer !== 'none',
        confidence: queryTerms.size === 0 ? 0 : Math.min(1, best / queryTerms.size),
        hits: page.map((s) => hitOf(s.p, s.score, queryTerms)),
        hasMore: scored.length > offset + k,
        signals: {
          passageCoverage: queryTerms.size === 0 ? null : best / queryTerms.size,
          sentenceCoverage: null,
          denseZ: null,
          unknown: null,
          missing: null,
          typeMatch: null,
          shortQuestion: null,
          topicality: null,
        },
      } satisfies SearchResult;
    },
    context(passageId): PassageContext | null {
      const index = passages.findIndex((p) => p.id === passageId);
      const p = passages[index];
      if (p === undefined) return null;
      const prev = passages[index - 1];
      const next = passages[index + 1];
      const start = prev !== undefined && prev.report === p.report ? prev.start : p.start;
      const end = next !== undefined && next.report === p.report ? next.end : p.end;
      return {
        passageId,
        source: p.report.source,
        title: p.report.title,
        date: p.report.date ?? null,
        url: p.report.url ?? null,
        page: null,
        endPage: null,
        paragraph: p.paragraph,
        start,
        end,
        text: p.report.text.slice(start, end),
        focus: [p.start, p.end],
      };
    },
    reports(): ReportSummary[] {
      return reports.map((r) => ({
        source: r.source,
        label: reportLabel(r.source),
        title: r.title,
        date: r.date ?? null,
        url: r.url ?? null,
        format: 'text' as const,
        passages: passages.filter((p) => p.report === r).length,
      }));
    },
    /** The fake's "most informative" passages are simply a report's first `k`. */
    keyPassages(source, k) {
      return passages
        .filter((p) => p.report.source === source)
        .slice(0, k)
        .map((p) => ({ ...hitOf(p, 0, new Set()), highlights: [] }));
    },
    topics(): string[] {
      return reports.map((r) => r.title.split(' ')[0] ?? r.title);
    },
    snapshot() {
      return this;
    },
    stats(): IndexStats {
      return {
        buildId: '20240102T030405Z-fake01',
        reports: reports.length,
        passages: passages.length,
        modelId: 'fake/term-overlap',
        dims: 0,
        offlineModel: true,
        builtAt: '2024-01-02T03:04:05.000Z',
        indexDir: '/tmp/fake-index',
        searchProfile: 'fake',
        profileFitted: true,
        reportsDir: '/tmp/fake-reports',
      };
    },
  };
}

function overlap(text: string, queryTerms: Set<string>): number {
  const present = new Set(terms(text));
  let n = 0;
  for (const t of queryTerms) if (present.has(t)) n += 1;
  return n;
}

/** Report offsets of the passage sentence containing the most query terms. */
function bestSentence(p: FakePassage, queryTerms: Set<string>): [number, number] {
  const re = /[^.!?。]+[.!?。]*/g;
  let best: [number, number] = [p.start, p.end];
  let bestScore = -1;
  for (let m = re.exec(p.text); m !== null; m = re.exec(p.text)) {
    const lead = m[0].length - m[0].trimStart().length;
    const body = m[0].trim();
    if (body === '') continue;
    const score = overlap(body, queryTerms);
    if (score > bestScore) {
      bestScore = score;
      best = [p.start + m.index + lead, p.start + m.index + lead + body.length];
    }
  }
  return best;
}
