import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeAnswer, findAnswer, prepareQuestion, quoteOf, reportNumbers } from '../../src/answer/answer';
import { renderBlocks, renderInlineArticle } from '../../src/bot/format';
import { AppError } from '../../src/errors';
import { MAX_QUESTION_CHARS, createSearcher, normaliseQuestion } from '../../src/search/searcher';
import { contentTerms, isStopword, stem, tokenize } from '../../src/text/tokens';
import { createTypoIndex, editDistanceAtMostOne, MIN_FUZZY_LENGTH } from '../../src/search/typos';
import type { SearchMode, SearchResult, Searcher } from '../../src/search/types';
import { buildIndex } from '../../src/store/build-index';
import { loadIndex, type LoadedIndex } from '../../src/store/load-index';
import { anyText, fuzzRuns, inlineArticleProblems, isWellFormed, longWord, messageProblems, nastyReport, nastyText } from '../helpers/fuzz';
import { getOfflineEmbedder } from '../helpers/offline-embedder';
import { SEEDS_DIR, seedIndex } from '../helpers/seed-index';
import { englishWords } from '../../src/i18n/words';

const en = englishWords();

const SEARCH_RUNS = 1500;
const FUZZ_CORPUS_SEARCH_RUNS = 800;
const TEXT_RUNS = 3000;
const TYPO_RUNS = 3000;
const NORMALISE_RUNS = 2000;

const question = fc.oneof(
  { weight: 8, arbitrary: anyText(30) },
  { weight: 1, arbitrary: longWord(300, 3000) },
  { weight: 2, arbitrary: fc.constantFrom('air defense', 'What was agreed about air defense?', 'sanctions package', 'grain exports', 'Peklo missile') },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\n\t', '\u3000', '\uFEFF', '\u00A0\u2028') },
);

const searchOptions = fc.record({
  k: fc.integer({ min: -2, max: 12 }),
  offset: fc.integer({ min: -3, max: 40 }),
  mode: fc.constantFrom<SearchMode>('hybrid', 'dense', 'lexical'),
});

interface Corpus {
  searcher: Searcher;
  index: LoadedIndex;
  wellFormed: boolean;
}

function corpusOf(index: LoadedIndex, searcher: Searcher): Corpus {
  return { searcher, index, wellFormed: index.reports.toArray().every((r) => isWellFormed(r.text)) };
}

/** Problems of a search result against the index it came from (empty when valid). */
function resultProblems(corpus: Corpus, searched: string, k: number, result: SearchResult): string[] {
  const problems: string[] = [];
  const expected = normaliseQuestion(searched);
  if (result.question !== expected.question || result.truncated !== expected.truncated) problems.push(`question ${JSON.stringify(result.question)}`);
  if (result.question.length === 0 || result.question.length > MAX_QUESTION_CHARS) problems.push(`question of ${result.question.length} chars`);
  if (isWellFormed(searched) && !isWellFormed(result.question)) problems.push('lone surrogate in question');
  if (!(result.confidence >= 0 && result.confidence <= 1)) problems.push(`confidence ${result.confidence}`);
  if (result.hits.length > Math.max(1, k)) problems.push(`${result.hits.length} hits for k=${k}`);
  const ids = new Set<string>();
  for (const hit of result.hits) {
    if (ids.has(hit.passageId)) problems.push(`duplicate hit ${hit.passageId}`);
    ids.add(hit.passageId);
    const report = corpus.index.reports.toArray().find((r) => r.path === hit.source);
    if (report === undefined) problems.push(`unknown source ${hit.source}`);
    else {
      if (report.text.slice(hit.start, hit.end) !== hit.text) problems.push(`hit ${hit.passageId} is not the report slice`);
      if (hit.title !== report.title) problems.push(`hit ${hit.passageId} title`);
    }
    if (!Number.isFinite(hit.score)) problems.push(`score ${hit.score}`);
    let prevEnd = hit.start;
    for (const [s, e] of hit.highlights) {
      if (s < prevEnd || e <= s || e > hit.end) problems.push(`highlight [${s}, ${e}) outside [${hit.start}, ${hit.end}) or out of order`);
      prevEnd = e;
    }
  }
  return problems;
}

/** A searcher that remembers its last result, so the answer pipeline can run on top of the checked search. */
function recording(searcher: Searcher): { searcher: Searcher; last: () => SearchResult | undefined } {
  let last: SearchResult | undefined;
  const wrapper: Searcher = {
    search: async (q, options) => {
      last = await searcher.search(q, options);
      return last;
    },
    context: (id) => searcher.context(id),
    topics: () => searcher.topics(),
    reports: () => searcher.reports(),
    keyPassages: (source, k) => searcher.keyPassages(source, k),
    stats: () => searcher.stats(),
    snapshot: () => wrapper,
  };
  return { searcher: wrapper, last: () => last };
}

/**
 * Runs one question through the whole answer path: blank questions must reject with QUERY_INVALID;
 * others resolve with verbatim hits, and the reply and inline results are valid Telegram payloads.
 */
async function searchAndCheck(corpus: Corpus, raw: string, options: { k: number; offset: number; mode: SearchMode }): Promise<Outcome> {
  const prepared = prepareQuestion(raw);
  if (prepared === null) {
    expect(raw.replace(/\s+/g, '')).toBe('');
    const outcome = await corpus.searcher.search(raw, options).then(
      () => 'resolved',
      (err: unknown) => (err instanceof AppError ? err.code : String(err)),
    );
    expect(outcome).toBe('QUERY_INVALID');
    return 'rejected';
  }
  const rec = recording(corpus.searcher);
  const page = await findAnswer(rec.searcher, prepared, options);
  const result = rec.last();
  expect(result).toBeDefined();
  const numbers = reportNumbers(rec.searcher);
  const problems = resultProblems(corpus, prepared.question, options.k, result!);
  if (page.truncated !== normaliseQuestion(raw).truncated) problems.push('truncated flag lost');
  problems.push(...renderBlocks(composeAnswer(page, en)).flatMap((m) => messageProblems(m, corpus.wellFormed)));
  for (const [i, hit] of result!.hits.entries()) {
    const quote = quoteOf(hit, numbers, i + 1);
    problems.push(...inlineArticleProblems(renderInlineArticle(`${hit.passageId}-${i}`, quote, quote.title), corpus.wellFormed));
  }
  expect(problems).toEqual([]);
  return page.answered ? 'answered' : result!.hits.length > 0 ? 'hits' : 'empty';
}

type Outcome = 'rejected' | 'answered' | 'hits' | 'empty';

/** Runs the search property and checks that it exercised blank, answered and unanswered questions. */
async function fuzzSearch(corpus: Corpus, seed: number, numRuns: number): Promise<void> {
  const seen = new Map<Outcome, number>();
  await fc.assert(
    fc.asyncProperty(question, searchOptions, async (raw, options) => {
      const outcome = await searchAndCheck(corpus, raw, options);
      seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
    }),
    fuzzRuns(seed, numRuns),
  );
  expect(seen.get('rejected') ?? 0).toBeGreaterThan(0);
  expect(seen.get('answered') ?? 0).toBeGreaterThan(0);
  expect((seen.get('hits') ?? 0) + (seen.get('empty') ?? 0)).toBeGreaterThan(0);
}

describe('search query path (fuzz)', () => {
  let seeds: Corpus;
  let fuzzed: Corpus;
  let fuzzDir: string;

  beforeAll(async () => {
    const seeded = await seedIndex();
    seeds = corpusOf(seeded.index, seeded.searcher);
    const embedder = await getOfflineEmbedder();
    fuzzDir = await mkdtemp(path.join(tmpdir(), 'fuzz-corpus-'));
    const reportsDir = path.join(fuzzDir, 'reports');
    const indexDir = path.join(fuzzDir, 'index');
    await mkdir(reportsDir);
    const bodies = fc.sample(nastyReport(16), fuzzRuns(4242, 12));
    await Promise.all(bodies.map((body, i) => writeFile(path.join(reportsDir, `${String(i + 10).padStart(3, '0')}_fuzz.txt`), body)));
    await copyFile(path.join(SEEDS_DIR, '003_9a57778b51dc72a5.txt'), path.join(reportsDir, '003_seed.txt'));
    await buildIndex({ reportsDir, indexDir, embedder });
    const index = await loadIndex(indexDir);
    fuzzed = corpusOf(index, createSearcher({ index, embedder }));
  });

  afterAll(async () => {
    if (fuzzDir) await rm(fuzzDir, { recursive: true, force: true });
  });

  it('the fuzzed corpus indexes verbatim passages', () => {
    expect(fuzzed.index.passages.length).toBeGreaterThan(0);
    for (const p of fuzzed.index.passages) {
      const report = fuzzed.index.reports.toArray().find((r) => r.path === p.source);
      expect(report?.text.slice(p.start, p.end)).toBe(p.text);
    }
  });

  it(`search over the seed reports resolves with verbatim hits or rejects a blank question with QUERY_INVALID (${SEARCH_RUNS} runs)`, async () => {
    await fuzzSearch(seeds, 1101, SEARCH_RUNS);
  });

  it(`search over hostile reports holds the same contract (${FUZZ_CORPUS_SEARCH_RUNS} runs)`, async () => {
    await fuzzSearch(fuzzed, 1102, FUZZ_CORPUS_SEARCH_RUNS);
  });
});

describe('query text analysis (fuzz)', () => {
  it(`tokenize, stem and contentTerms never throw and return clean terms (${TEXT_RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.oneof(anyText(40), longWord()), (value) => {
        const tokens = tokenize(value);
        const bad = tokens.filter((t) => !/^[\p{L}\p{N}]+$/u.test(t) || t !== t.toLowerCase());
        const stems = tokens.map((t) => [t, stem(t)] as const).filter(([t, s]) => s.length === 0 || s.length > t.length + 1);
        const terms = contentTerms(value);
        expect({ bad, stems, terms: terms.length }).toEqual({ bad: [], stems: [], terms: tokens.filter((t) => !isStopword(t)).length });
      }),
      fuzzRuns(1201, TEXT_RUNS),
    );
  });

  it(`normaliseQuestion collapses whitespace, caps the length and never leaves half an emoji (${NORMALISE_RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.oneof(anyText(60), longWord(200, 2000), nastyText(200)), (raw) => {
        const { question: q, truncated } = normaliseQuestion(raw);
        expect(q.length).toBeLessThanOrEqual(MAX_QUESTION_CHARS);
        expect(q).toBe(q.trim());
        expect(/\s\s/.test(q)).toBe(false);
        expect(truncated).toBe(raw.replace(/\s+/g, ' ').trim().length > MAX_QUESTION_CHARS);
        if (isWellFormed(raw)) expect(isWellFormed(q)).toBe(true);
        expect(raw.replace(/\s+/g, ' ').trim().startsWith(q)).toBe(true);
        expect(prepareQuestion(raw)?.question ?? '').toBe(q);
      }),
      fuzzRuns(1301, NORMALISE_RUNS),
    );
  });
});

/** Reference optimal-string-alignment distance capped at 2 (full dynamic programme), for checking the fast version. */
function osaDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 1) return 2;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return Math.min(2, d[a.length]![b.length]!);
}

describe('typo correction (fuzz)', () => {
  const smallWord = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'é', '🚀', 'ع'), maxLength: 7 });

  it(`editDistanceAtMostOne agrees with a reference edit distance, capped at 2 (${TYPO_RUNS / 2} runs)`, () => {
    fc.assert(
      fc.property(smallWord, smallWord, (a, b) => {
        const expected = osaDistance(a, b);
        expect(editDistanceAtMostOne(a, b)).toBe(expected);
        expect(editDistanceAtMostOne(b, a)).toBe(expected);
      }),
      fuzzRuns(1401, TYPO_RUNS / 2),
    );
  });

  it(`neighbours returns exactly the vocabulary terms one edit away and never throws (${TYPO_RUNS / 2} runs)`, () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(smallWord, anyText(3)), { maxLength: 30 }), fc.oneof(smallWord, anyText(4), longWord(100, 400)), (vocabulary, word) => {
        const index = createTypoIndex(vocabulary);
        const found = index.neighbours(word);
        expect(new Set(found).size).toBe(found.length);
        const expected =
          word.length < MIN_FUZZY_LENGTH
            ? []
            : [...new Set(vocabulary)].filter((t) => t.length >= MIN_FUZZY_LENGTH - 1 && t !== word && osaDistance(word, t) === 1);
        expect([...found].sort()).toEqual(expected.sort());
      }),
      fuzzRuns(1402, TYPO_RUNS / 2),
    );
  });
});
