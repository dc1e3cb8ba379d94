/**
 * Measures search quality.
 *   npm run eval -- seeds           hit@1 / hit@3 and answerability on tests/fixtures/seed-questions.json (regression set)
 *   npm run eval -- questions       the blind question sets (tests/fixtures/questions.json, questions-train.json): --split dev (default), test, train, fit (dev + train) or all; --fit fits the answer levels on that split
 *   npm run eval -- store           top-3 overlap of the Postgres store at DATABASE_URL with the local index on the seed questions
 *   npm run eval -- ir              nDCG@10 on ../shared/ir/{cranfield,med} for lexical, dense and hybrid search
 *   npm run eval -- pg-lexical      the lexical side three ways on Cranfield/MED: ours, Postgres full-text search, pg_textsearch (nDCG@10, query p50)
 *   npm run eval -- fit-ranker      fits the learned ranker on the questions of --split (dev, train or fit; default dev) and the even-numbered IR queries; --write saves it
 * Prints one JSON object on stdout. Uses the offline model unless --model names another, so by default it runs without network.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEmbedder } from '../src/embed/embedder';
import { englishRanks } from '../src/embed/english-ranks';
import type { Embedder } from '../src/embed/types';
import { DEFAULT_FUSION, type FusionMethod } from '../src/search/fusion';
import { MISSPELLING_WEIGHT } from '../src/search/query';
import { createSearcher } from '../src/search/searcher';
import type { SearchMode, Searcher } from '../src/search/types';
import { buildIndex } from '../src/store/build-index';
import { loadIndex } from '../src/store/load-index';
import { fail, parseCli } from './cli-args';
import { fitLevels } from './eval/fit-levels';
import { fitRanker, type RankGroup } from './eval/fit-ranker';
import { RANK_FEATURES, type RankFeature, rankScore } from '../src/search/ranker';
import { chooseProfile, readProfiles } from '../src/search/profiles';
import { writeProfile } from './eval/profile-file';
import { readBlindQuestions, runBlindQuestions, SPLITS, summarise } from './eval/questions';
import { memoryIndex, ndcgAt10, readIrCollection } from './eval/ir-data';
import { createReferenceBm25 } from './eval/reference-bm25';
import { evalPgLexical } from './eval/pg-lexical';
import { evalStore } from './eval/store';
import { modelCacheDirOf } from '../src/config';

const USAGE = 'Usage: npm run eval -- seeds | store | questions [--fit] [--split dev|test|train|fit|all] [--mode hybrid|dense|lexical] [--details] | ir [--ir-dir DIR] | pg-lexical [--ir-dir DIR] | fit-ranker [--split dev|train|fit] [--fit-only FEATURE,...] [--write]  (questions and ir also take --feedback W, --expansion W and --ranker off; --model ID evaluates another model, default offline; --write saves what --fit / fit-ranker fitted into that model\'s search profile)';
const { values, positionals } = parseCli(
  { fit: { type: 'boolean' }, 'ir-dir': { type: 'string' }, split: { type: 'string' }, mode: { type: 'string' }, details: { type: 'boolean' }, feedback: { type: 'string' }, expansion: { type: 'string' }, floor: { type: 'string' }, ranker: { type: 'string' }, 'fit-only': { type: 'string' }, write: { type: 'boolean' }, model: { type: 'string' } },
  USAGE,
  true,
);
const CACHE = modelCacheDirOf(process.env);

interface SeedQuestion {
  id: string;
  question: string;
  source?: string;
  expect?: string;
}

export async function seedQuestions(): Promise<{ answerable: SeedQuestion[]; typos: SeedQuestion[]; unanswerable: SeedQuestion[] }> {
  return JSON.parse(await readFile('tests/fixtures/seed-questions.json', 'utf8'));
}

async function evalSeeds(embedder: Embedder): Promise<unknown> {
  const dir = await mkdtemp(path.join(tmpdir(), 'eval-seeds-'));
  try {
    await buildIndex({ reportsDir: 'seeds', indexDir: dir, embedder, englishRanks: await englishRanks(CACHE) });
    const index = await loadIndex(dir);
    const searcher = createSearcher({ index, embedder });
    const reportText = new Map(index.reports.toArray().map((r) => [r.path, r.text]));
    const sets = await seedQuestions();
    const out: Record<string, unknown> = {};
    for (const mode of ['lexical', 'dense', 'hybrid'] as SearchMode[]) {
      const byMode: Record<string, unknown> = {};
      for (const [name, qs] of [['answerable', sets.answerable], ['typos', sets.typos]] as const) {
        let hit1 = 0;
        let hit3 = 0;
        let answered = 0;
        const misses: string[] = [];
        for (const q of qs) {
          const r = await searcher.search(q.question, { k: 3, mode });
          const text = reportText.get(q.source ?? '') ?? '';
          const at = text.indexOf(q.expect ?? '\u0000');
          const ok = (h: { source: string; start: number; end: number }): boolean =>
            h.source === q.source && h.start < at + (q.expect?.length ?? 0) && h.end > at;
          if (r.hits[0] && ok(r.hits[0])) hit1++;
          else misses.push(q.id);
          if (r.hits.slice(0, 3).some(ok)) hit3++;
          if (r.answered) answered++;
        }
        byMode[name] = { n: qs.length, hit1: hit1 / qs.length, hit3: hit3 / qs.length, answeredRate: answered / qs.length, hit1Misses: misses };
      }
      let refused = 0;
      const wronglyAnswered: string[] = [];
      for (const q of sets.unanswerable) {
        const r = await searcher.search(q.question, { k: 3, mode });
        if (!r.answered) refused++;
        else wronglyAnswered.push(q.id);
      }
      byMode.unanswerable = { n: sets.unanswerable.length, refusedRate: refused / sets.unanswerable.length, wronglyAnswered };
      out[mode] = byMode;
    }
    out.searchProfile = { name: searcher.stats().searchProfile, fitted: searcher.stats().profileFitted };
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Searcher settings overridden from the command line, for measuring each step's effect. */
function ablations(): { feedbackWeight?: number; expansionWeight?: number; relativeFloor?: number; ranker?: null } {
  const out: { feedbackWeight?: number; expansionWeight?: number; relativeFloor?: number; ranker?: null } = {};
  if (values.ranker === 'off') out.ranker = null;
  if (values.floor !== undefined) out.relativeFloor = Number(values.floor);
  if (values.feedback !== undefined) out.feedbackWeight = Number(values.feedback);
  if (values.expansion !== undefined) out.expansionWeight = Number(values.expansion);
  return out;
}

/** The blind question set on one split (dev by default): tune on dev, report test. */
async function evalQuestions(embedder: Embedder): Promise<unknown> {
  const split = values.split ?? 'dev';
  if (!(SPLITS as readonly string[]).includes(split)) throw new Error(`--split must be one of ${SPLITS.join(', ')}, not ${split}`);
  const mode = (values.mode ?? 'hybrid') as SearchMode;
  const dir = await mkdtemp(path.join(tmpdir(), 'eval-questions-'));
  try {
    await buildIndex({ reportsDir: 'seeds', indexDir: dir, embedder, englishRanks: await englishRanks(CACHE) });
    const index = await loadIndex(dir);
    const searcher = createSearcher({ index, embedder, ...ablations() });
    const reportText = new Map(index.reports.toArray().map((r) => [r.path, r.text]));
    const rows = await runBlindQuestions(searcher, reportText, await readBlindQuestions(split), mode);
    const out: Record<string, unknown> = { split, mode, ...summarise(rows) };
    if (values.fit) {
      const fit = fitLevels(rows);
      out.fit = fit;
      if (values.write) out.written = await writeProfile(embedder.info.id, { levels: fit.models });
    }
    if (values.details) out.details = rows.map((r) => ({ id: r.q.id, q: r.q.question, rank: r.rank, level: r.level, signals: r.result.signals, top: r.result.hits[0]?.text.slice(0, 80) }));
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function runQueries(searcher: Searcher, queries: Array<{ id: string; text: string }>, qrels: Map<string, Map<string, number>>, mode: SearchMode): Promise<number> {
  let sum = 0;
  let n = 0;
  for (const q of queries) {
    const rels = qrels.get(q.id);
    if (!rels) continue;
    const r = await searcher.search(q.text, { k: 10, mode });
    sum += ndcgAt10(r.hits.map((h) => h.source), rels);
    n++;
  }
  return sum / n;
}

function readIr(name: string): ReturnType<typeof readIrCollection> {
  return readIrCollection(path.join(values['ir-dir'] ?? '../shared/ir', name));
}

/** The ranker is fitted on the even-numbered (0-based, file order) queries; the odd ones are held out. */
const fitHalf = <T>(queries: readonly T[]): T[] => queries.filter((_, i) => i % 2 === 0);
const heldOutHalf = <T>(queries: readonly T[]): T[] => queries.filter((_, i) => i % 2 === 1);

async function evalIr(embedder: Embedder): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const name of ['cranfield', 'med']) {
    const { docs, queries, qrels } = await readIr(name);
    const index = await memoryIndex(docs, embedder, CACHE);
    // nDCG@10 scores the ranking of ten documents, so the answer-display floor (which hides weak hits) is off here.
    const irSettings = { relativeFloor: 0, ...ablations() };
    const base = createSearcher({ index, embedder, ...irSettings });
    const result: Record<string, number> = {};
    const reference = createReferenceBm25(docs.map((d) => ({ id: d.id, text: d.text.trim() || d.title?.trim() || '(empty)' })));
    const referenceOn = (qs: ReadonlyArray<{ id: string; text: string }>): number => {
      let sum = 0;
      let n = 0;
      for (const q of qs) {
        const rels = qrels.get(q.id);
        if (!rels) continue;
        sum += ndcgAt10(reference(q.text, 10), rels);
        n++;
      }
      return sum / n;
    };
    result.reference_bm25 = referenceOn(queries);
    result.lexical = await runQueries(base, queries, qrels, 'lexical');
    result.dense = await runQueries(base, queries, qrels, 'dense');
    const variants: Array<[string, FusionMethod]> = [
      ['hybrid_rrf60', { kind: 'rrf', k: 60 }],
      ['hybrid_convex0.1', { kind: 'convex', alpha: 0.1 }],
      ['hybrid_convex0.3', { kind: 'convex', alpha: 0.3 }],
      ['hybrid_convex0.5', { kind: 'convex', alpha: 0.5 }],
    ];
    for (const [label, fusion] of variants) result[label] = await runQueries(createSearcher({ index, embedder, fusion, ...irSettings }), queries, qrels, 'hybrid');
    result.hybrid_default = await runQueries(base, queries, qrels, 'hybrid');
    const noRanker = createSearcher({ index, embedder, ...irSettings, ranker: null });
    result.hybrid_noRanker = await runQueries(noRanker, queries, qrels, 'hybrid');
    // Held out from the ranker's fit: the odd-numbered queries.
    result.heldOut_reference_bm25 = referenceOn(heldOutHalf(queries));
    result.heldOut_hybrid_default = await runQueries(base, heldOutHalf(queries), qrels, 'hybrid');
    result.heldOut_hybrid_noRanker = await runQueries(noRanker, heldOutHalf(queries), qrels, 'hybrid');
    result.lexical_noMisspellingExpansion = await runQueries(createSearcher({ index, embedder, misspellingWeight: 0, ...irSettings }), queries, qrels, 'lexical');
    for (const key of Object.keys(result)) result[key] = Number((result[key] ?? 0).toFixed(4));
    out[name] = { docs: docs.length, queries: queries.length, ndcg10: result };
  }
  return { model: embedder.info.id, defaultFusion: DEFAULT_FUSION, misspellingWeight: MISSPELLING_WEIGHT, ...out };
}

/** Share of the ranker's training weight per collection: the reports' own questions count most. */
const RANKER_SHARES = { questions: 0.5, cranfield: 0.25, med: 0.25 };

/** Fits the learned ranker on dev questions and the fitting half of Cranfield/MED; --write saves it. */
async function evalFitRanker(embedder: Embedder): Promise<unknown> {
  const fitSplit = values.split ?? 'dev';
  if (!['dev', 'train', 'fit'].includes(fitSplit)) throw new Error(`fit-ranker --split must be dev, train or fit (never test), not ${fitSplit}`);
  // --fit-only A,B fits those features and keeps every other weight as the model's profile has it.
  const only = values['fit-only']?.split(',').map((f) => f.trim()).filter(Boolean) ?? null;
  const unknownFeature = only?.find((f) => !(RANK_FEATURES as readonly string[]).includes(f));
  if (unknownFeature) throw new Error(`fit-ranker --fit-only: ${unknownFeature} is not a ranker feature (${RANK_FEATURES.join(', ')})`);
  const current0 = chooseProfile(embedder.info.id, readProfiles()).profile.ranker.weights;
  const frozen: Partial<Record<RankFeature, number>> = only ? Object.fromEntries(RANK_FEATURES.filter((f) => !only.includes(f)).map((f) => [f, current0[f]])) : {};
  const groups: RankGroup[] = [];
  let current: Array<{ source: string; start: number; end: number; features: number[] }> = [];
  const onCandidates = (_q: string, c: typeof current): void => {
    current = c;
  };
  const dir = await mkdtemp(path.join(tmpdir(), 'eval-ranker-'));
  try {
    await buildIndex({ reportsDir: 'seeds', indexDir: dir, embedder, englishRanks: await englishRanks(CACHE) });
    const index = await loadIndex(dir);
    const searcher = createSearcher({ index, embedder, ranker: null, onCandidates });
    const reportText = new Map(index.reports.toArray().map((r) => [r.path, r.text]));
    for (const q of await readBlindQuestions(fitSplit)) {
      if (!q.answerable || !q.report || !q.phrase) continue;
      current = [];
      await searcher.search(q.question, { k: 3 });
      const text = reportText.get(q.report) ?? '';
      const spans: Array<[number, number]> = [];
      for (let at = text.indexOf(q.phrase); at >= 0; at = text.indexOf(q.phrase, at + 1)) spans.push([at, at + q.phrase.length]);
      const rel = (c: { source: string; start: number; end: number }): number => (c.source === q.report && spans.some(([s, e]) => c.start < e && c.end > s) ? 1 : 0);
      groups.push({ collection: 'questions', candidates: current.map((c) => ({ x: c.features, rel: rel(c) })) });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  for (const name of ['cranfield', 'med']) {
    const { docs, queries, qrels } = await readIr(name);
    const index = await memoryIndex(docs, embedder, CACHE);
    const searcher = createSearcher({ index, embedder, relativeFloor: 0, ranker: null, onCandidates });
    for (const q of fitHalf(queries)) {
      const rels = qrels.get(q.id);
      if (!rels) continue;
      current = [];
      await searcher.search(q.text, { k: 10 });
      groups.push({ collection: name, candidates: current.map((c) => ({ x: c.features, rel: rels.get(c.source) ?? 0 })) });
    }
  }
  // 5-fold cross-validation over the dev questions: top-1 of the fused order vs the ranker fitted without that fold.
  const questions = groups.filter((g) => g.collection === 'questions');
  const others = groups.filter((g) => g.collection !== 'questions');
  let fusedTop1 = 0;
  let rankerTop1 = 0;
  for (let fold = 0; fold < 5; fold++) {
    const train = [...questions.filter((_, i) => i % 5 !== fold), ...others];
    const m = fitRanker(train, RANKER_SHARES, frozen);
    for (const g of questions.filter((_, i) => i % 5 === fold)) {
      if (g.candidates[0]?.rel) fusedTop1++;
      const best = [...g.candidates].sort((a, b) => rankScore(m, b.x) - rankScore(m, a.x))[0];
      if (best?.rel) rankerTop1++;
    }
  }
  const cv = { questions: questions.length, answerInCandidates: Number((questions.filter((g) => g.candidates.some((c) => c.rel > 0)).length / questions.length).toFixed(3)), fusedTop1: Number((fusedTop1 / questions.length).toFixed(3)), rankerTop1: Number((rankerTop1 / questions.length).toFixed(3)) };
  const model = fitRanker(groups, RANKER_SHARES, frozen);
  const written = values.write ? await writeProfile(embedder.info.id, { ranker: model }) : null;
  return { split: fitSplit, groups: groups.length, shares: RANKER_SHARES, cv, model, written };
}

try {
  const embedder = await createEmbedder({ model: values.model ?? 'offline', cacheDir: CACHE, allowFallback: false });
  const what = positionals[0];
  if (what === 'seeds') process.stdout.write(`${JSON.stringify(await evalSeeds(embedder), null, 1)}\n`);
  else if (what === 'questions') process.stdout.write(`${JSON.stringify(await evalQuestions(embedder), null, 1)}\n`);
  else if (what === 'store') process.stdout.write(`${JSON.stringify(await evalStore(embedder, CACHE), null, 1)}\n`);
  else if (what === 'pg-lexical') {
    const collections: Array<[string, Awaited<ReturnType<typeof readIr>>]> = [];
    for (const name of ['cranfield', 'med']) collections.push([name, await readIr(name)]);
    process.stdout.write(`${JSON.stringify(await evalPgLexical(embedder, CACHE, collections), null, 1)}\n`);
  } else if (what === 'ir') process.stdout.write(`${JSON.stringify(await evalIr(embedder), null, 1)}\n`);
  else if (what === 'fit-ranker') process.stdout.write(`${JSON.stringify(await evalFitRanker(embedder), null, 1)}\n`);
  else {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
} catch (err) {
  fail(err);
}
