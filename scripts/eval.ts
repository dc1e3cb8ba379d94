/**
 * Measures search quality.
 *   npm run eval -- seeds [--fit]   hit@1 / hit@3 and answerability on tests/fixtures/seed-questions.json
 *   npm run eval -- ir              nDCG@10 on ../shared/ir/{cranfield,med} for lexical, dense and hybrid search
 * Prints one JSON object on stdout. Uses the offline model, so it runs without network.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEmbedder } from '../src/embed/embedder';
import type { Embedder } from '../src/embed/types';
import { DEFAULT_CHUNKING } from '../src/ingest/split-passages';
import type { Passage } from '../src/ingest/types';
import { ANSWER_MODEL } from '../src/search/answerability';
import { DEFAULT_FUSION, type FusionMethod } from '../src/search/fusion';
import { MISSPELLING_WEIGHT } from '../src/search/query';
import { createSearcher } from '../src/search/searcher';
import type { SearchMode, Searcher } from '../src/search/types';
import { buildIndex, DEFAULT_HNSW, indexVectors } from '../src/store/build-index';
import { loadIndex, type LoadedIndex } from '../src/store/load-index';
import { FORMAT_VERSION } from '../src/store/manifest';
import { fail, parseCli } from './cli-args';

const USAGE = 'Usage: npm run eval -- seeds [--fit] | ir [--ir-dir DIR]';
const { values, positionals } = parseCli({ fit: { type: 'boolean' }, 'ir-dir': { type: 'string' } }, USAGE, true);
const CACHE = process.env.MODEL_CACHE_DIR ?? '.cache/models';

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
    await buildIndex({ reportsDir: 'seeds', indexDir: dir, embedder });
    const index = await loadIndex(dir);
    const searcher = createSearcher({ index, embedder });
    const reportText = new Map(index.reports.map((r) => [r.path, r.text]));
    const sets = await seedQuestions();
    const rows: Array<{ id: string; label: 0 | 1; coverage: number; denseZ: number; answered: boolean }> = [];
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
          if (mode === 'hybrid') rows.push({ id: q.id, label: 1, coverage: r.signals.coverage ?? 0, denseZ: r.signals.denseZ ?? 0, answered: r.answered });
        }
        byMode[name] = { n: qs.length, hit1: hit1 / qs.length, hit3: hit3 / qs.length, answeredRate: answered / qs.length, hit1Misses: misses };
      }
      let refused = 0;
      const wronglyAnswered: string[] = [];
      for (const q of sets.unanswerable) {
        const r = await searcher.search(q.question, { k: 3, mode });
        if (!r.answered) refused++;
        else wronglyAnswered.push(q.id);
        if (mode === 'hybrid') rows.push({ id: q.id, label: 0, coverage: r.signals.coverage ?? 0, denseZ: r.signals.denseZ ?? 0, answered: r.answered });
      }
      byMode.unanswerable = { n: sets.unanswerable.length, refusedRate: refused / sets.unanswerable.length, wronglyAnswered };
      out[mode] = byMode;
    }
    if (values.fit) out.fit = fitLogistic(rows);
    out.signals = rows.map((r) => ({ ...r, coverage: Number(r.coverage.toFixed(3)), denseZ: Number(r.denseZ.toFixed(2)) }));
    out.answerModel = ANSWER_MODEL;
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Plain gradient-descent logistic regression on (coverage, denseZ), with L2 to keep weights sane. */
function fitLogistic(rows: Array<{ label: 0 | 1; coverage: number; denseZ: number }>): unknown {
  let b = 0;
  let wc = 0;
  let wz = 0;
  const lr = 0.1;
  const l2 = 0.01;
  for (let epoch = 0; epoch < 20000; epoch++) {
    let gb = 0;
    let gc = 0;
    let gz = 0;
    for (const r of rows) {
      const z = Math.max(-10, Math.min(10, r.denseZ));
      const p = 1 / (1 + Math.exp(-(b + wc * r.coverage + wz * z)));
      gb += p - r.label;
      gc += (p - r.label) * r.coverage;
      gz += (p - r.label) * z;
    }
    b -= (lr * gb) / rows.length;
    wc -= lr * (gc / rows.length + l2 * wc);
    wz -= lr * (gz / rows.length + l2 * wz);
  }
  const correct = rows.filter((r) => (b + wc * r.coverage + wz * Math.max(-10, Math.min(10, r.denseZ)) >= 0 ? 1 : 0) === r.label).length;
  return { bias: b, coverage: wc, denseZ: wz, trainingAccuracy: correct / rows.length };
}

interface IrDoc {
  id: string;
  title?: string;
  text: string;
}

async function readJsonl<T>(file: string): Promise<T[]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/** An in-memory index with one passage per document, so retrieval is scored per document. */
async function memoryIndex(docs: IrDoc[], embedder: Embedder): Promise<LoadedIndex> {
  const reports = docs.map((d) => {
    const text = d.text.trim() || d.title?.trim() || '(empty)';
    return { path: d.id, title: d.title ?? d.id, hash: '', text };
  });
  const passages: Passage[] = reports.map((r) => ({ id: r.path, source: r.path, start: 0, end: r.text.length, paragraph: 1, heading: null, text: r.text }));
  const dims = embedder.info.dims;
  const vectors = new Float32Array(passages.length * dims);
  (await embedder.embedPassages(passages.map((p) => p.text))).forEach((v, i) => vectors.set(v, i * dims));
  const { hnsw, calibration } = await indexVectors(vectors, passages.length, embedder);
  return {
    dir: '(memory)',
    manifest: {
      formatVersion: FORMAT_VERSION,
      buildId: 'memory',
      builtAt: new Date().toISOString(),
      buildSeconds: 0,
      model: embedder.info,
      corpus: { reports: reports.map((r) => ({ path: r.path, hash: '', title: r.title, passages: 1 })) },
      chunking: DEFAULT_CHUNKING,
      counts: { reports: reports.length, passages: passages.length, duplicatesRemoved: 0, skipped: 0 },
      hnsw: DEFAULT_HNSW,
      calibration,
      files: {},
    },
    reports,
    passages,
    vectors,
    hnsw,
  };
}

function ndcgAt10(ranked: string[], rels: Map<string, number>): number {
  const dcg = ranked.slice(0, 10).reduce((s, doc, i) => s + (rels.get(doc) ?? 0) / Math.log2(i + 2), 0);
  const ideal = [...rels.values()].sort((a, b) => b - a).slice(0, 10).reduce((s, g, i) => s + g / Math.log2(i + 2), 0);
  return ideal > 0 ? dcg / ideal : 0;
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

async function evalIr(embedder: Embedder): Promise<unknown> {
  const root = values['ir-dir'] ?? '../shared/ir';
  const out: Record<string, unknown> = {};
  for (const name of ['cranfield', 'med']) {
    const docs = await readJsonl<IrDoc>(path.join(root, name, 'docs.jsonl'));
    const queries = await readJsonl<{ id: string; text: string }>(path.join(root, name, 'queries.jsonl'));
    const qrels = new Map<string, Map<string, number>>();
    for (const line of (await readFile(path.join(root, name, 'qrels.tsv'), 'utf8')).split('\n')) {
      const [q, d, rel] = line.trim().split('\t');
      if (!q || !d || !rel) continue;
      if (!qrels.has(q)) qrels.set(q, new Map());
      qrels.get(q)?.set(d, Number(rel));
    }
    const index = await memoryIndex(docs, embedder);
    const base = createSearcher({ index, embedder });
    const result: Record<string, number> = {};
    result.lexical = await runQueries(base, queries, qrels, 'lexical');
    result.dense = await runQueries(base, queries, qrels, 'dense');
    const variants: Array<[string, FusionMethod]> = [
      ['hybrid_rrf60', { kind: 'rrf', k: 60 }],
      ['hybrid_convex0.1', { kind: 'convex', alpha: 0.1 }],
      ['hybrid_convex0.2', { kind: 'convex', alpha: 0.2 }],
      ['hybrid_convex0.3', { kind: 'convex', alpha: 0.3 }],
      ['hybrid_convex0.4', { kind: 'convex', alpha: 0.4 }],
      ['hybrid_convex0.5', { kind: 'convex', alpha: 0.5 }],
      ['hybrid_convex0.7', { kind: 'convex', alpha: 0.7 }],
    ];
    for (const [label, fusion] of variants) result[label] = await runQueries(createSearcher({ index, embedder, fusion }), queries, qrels, 'hybrid');
    result.hybrid_default = await runQueries(base, queries, qrels, 'hybrid');
    result.lexical_noMisspellingExpansion = await runQueries(createSearcher({ index, embedder, misspellingWeight: 0 }), queries, qrels, 'lexical');
    for (const key of Object.keys(result)) result[key] = Number((result[key] ?? 0).toFixed(4));
    out[name] = { docs: docs.length, queries: queries.length, ndcg10: result };
  }
  return { model: embedder.info.id, defaultFusion: DEFAULT_FUSION, misspellingWeight: MISSPELLING_WEIGHT, ...out };
}

try {
  const embedder = await createEmbedder({ model: 'offline', cacheDir: CACHE });
  const what = positionals[0];
  if (what === 'seeds') process.stdout.write(`${JSON.stringify(await evalSeeds(embedder), null, 1)}\n`);
  else if (what === 'ir') process.stdout.write(`${JSON.stringify(await evalIr(embedder), null, 1)}\n`);
  else {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
} catch (err) {
  fail(err);
}
