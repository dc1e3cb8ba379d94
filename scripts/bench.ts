/**
 * npm run bench -- [--passages N] [--skip-scale] [--skip-bot] [--skip-fairness] [--skip-outage] [--outage-seconds S]
 * Prints one JSON object: build throughput, cold/warm ask latency, peak RSS, and at N (default
 * 100,000) synthetic passages: full vs unchanged rebuild time and hnsw recall@10 / latency per ef;
 * the bot under load, its fairness under a one-chat flood, and its recovery from an API outage.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { englishRanks } from '../src/embed/english-ranks';
import { createEmbedder } from '../src/embed/embedder';
import type { Embedder } from '../src/embed/types';
import { splitSentences } from '../src/ingest/sentences';
import { createSearcher } from '../src/search/searcher';
import { buildIndex } from '../src/store/build-index';
import { loadIndex } from '../src/store/load-index';
import { fail, parseCli } from './cli-args';
import { rng, writeSyntheticCorpus } from './synthetic-corpus';

const { values } = parseCli(
  {
    passages: { type: 'string' },
    'skip-scale': { type: 'boolean' },
    'skip-bot': { type: 'boolean' },
    'skip-fairness': { type: 'boolean' },
    'skip-outage': { type: 'boolean' },
    'outage-seconds': { type: 'string' },
  },
  'Usage: npm run bench -- [--passages N] [--skip-scale] [--skip-bot] [--skip-fairness] [--skip-outage] [--outage-seconds S]',
);
const OUTAGE_SECONDS = Number(values['outage-seconds'] ?? 100);
const CACHE = process.env.MODEL_CACHE_DIR ?? '.cache/models';
const SCALE_PASSAGES = Number(values.passages ?? 100_000);
const EF_VALUES = [32, 64, 100, 128, 200];

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function stats(samples: number[]): { n: number; p50: number; p99: number; mean: number } {
  const s = [...samples].sort((a, b) => a - b);
  const round = (x: number) => Number(x.toFixed(3));
  return { n: s.length, p50: round(percentile(s, 50)), p99: round(percentile(s, 99)), mean: round(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)) };
}

async function questions(): Promise<string[]> {
  const f = JSON.parse(await readFile('tests/fixtures/seed-questions.json', 'utf8')) as Record<string, Array<{ question: string }>>;
  return Object.values(f).flat().map((q) => q.question);
}

async function seedBench(embedder: Embedder): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-seeds-'));
  try {
    const summary = await buildIndex({ reportsDir: 'seeds', indexDir: dir, embedder, englishRanks: await englishRanks(CACHE) });
    const qs = await questions();
    const cold: number[] = [];
    for (const q of qs.slice(0, 20)) {
      const t = performance.now();
      const searcher = createSearcher({ index: await loadIndex(dir), embedder });
      await searcher.search(q, { k: 3 });
      cold.push(performance.now() - t);
    }
    const searcher = createSearcher({ index: await loadIndex(dir), embedder });
    for (const q of qs) await searcher.search(q, { k: 3 });
    const warm: number[] = [];
    for (let round = 0; round < 10; round++) {
      for (const q of qs) {
        const t = performance.now();
        await searcher.search(q, { k: 3 });
        warm.push(performance.now() - t);
      }
    }
    return {
      seedsBuild: { reports: summary.reports, passages: summary.passages, seconds: Number(summary.seconds.toFixed(3)) },
      askColdMs: { ...stats(cold), note: 'load index from disk + create searcher (BM25, typo index) + first question' },
      askWarmMs: stats(warm),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function scaleBench(embedder: Embedder): Promise<Record<string, unknown>> {
  const root = await mkdtemp(path.join(tmpdir(), 'bench-scale-'));
  try {
    const reports = path.join(root, 'reports');
    const indexDir = path.join(root, 'index');
    await writeSyntheticCorpus(reports, SCALE_PASSAGES);
    const full = await buildIndex({ reportsDir: reports, indexDir, embedder });
    const unchanged = await buildIndex({ reportsDir: reports, indexDir, embedder });

    const index = await loadIndex(indexDir);
    const dims = index.manifest.model.dims;
    const n = index.passages.length;
    const qs = await questions();
    const queryVectors: Float32Array[] = [];
    for (const q of qs) queryVectors.push(await embedder.embedQuery(q));
    const rand = rng(7);
    while (queryVectors.length < 200) {
      const i = Math.floor(rand() * n);
      const p = index.passages[i];
      if (p) queryVectors.push(await embedder.embedQuery(p.text.slice(0, 120)));
    }
    const exact = queryVectors.map((q) => {
      const scores = new Float32Array(n);
      for (let d = 0; d < n; d++) {
        let s = 0;
        const off = d * dims;
        for (let j = 0; j < dims; j++) s += (q[j] ?? 0) * (index.vectors[off + j] ?? 0);
        scores[d] = s;
      }
      return new Set(Array.from(scores.keys()).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0)).slice(0, 10));
    });
    const byEf: Record<string, unknown> = {};
    for (const ef of EF_VALUES) {
      index.hnsw.setEf(ef);
      const times: number[] = [];
      let found = 0;
      queryVectors.forEach((q, i) => {
        const arr = Array.from(q);
        const t = performance.now();
        const { neighbors } = index.hnsw.searchKnn(arr, 10);
        times.push(performance.now() - t);
        found += neighbors.filter((x) => exact[i]?.has(x)).length;
      });
      byEf[String(ef)] = { recallAt10: Number((found / (queryVectors.length * 10)).toFixed(4)), latencyMs: stats(times) };
    }
    index.hnsw.setEf(index.manifest.hnsw.efSearch);
    const searcher = createSearcher({ index, embedder });
    const hybrid: number[] = [];
    for (const q of qs) {
      const t = performance.now();
      await searcher.search(q, { k: 3 });
      hybrid.push(performance.now() - t);
    }
    return {
      passages: n,
      fullBuild: { seconds: Number(full.seconds.toFixed(2)), passagesPerSecond: Math.round(n / full.seconds), embedded: full.embedded },
      unchangedRebuild: { seconds: Number(unchanged.seconds.toFixed(2)), reused: unchanged.reused, embedded: unchanged.embedded, fractionOfFull: Number((unchanged.seconds / full.seconds).toFixed(3)) },
      chosenEf: index.manifest.hnsw.efSearch,
      hnswByEf: byEf,
      hybridAskMs: stats(hybrid),
      queries: queryVectors.length,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function embedThroughput(embedder: Embedder): Promise<Record<string, unknown>> {
  const text = await readFile('seeds/001_1acd37ffbbe669fc.txt', 'utf8');
  const sentences = splitSentences(text).map((s) => text.slice(s.start, s.end));
  const passages: string[] = [];
  for (let i = 0; passages.length < 5000; i++) passages.push(sentences.slice(i % sentences.length, (i % sentences.length) + 5).join(' '));
  await embedder.embedPassages(passages.slice(0, 64));
  const t = performance.now();
  await embedder.embedPassages(passages);
  const seconds = (performance.now() - t) / 1000;
  const words = passages.reduce((a, p) => a + p.split(/\s+/).length, 0) / passages.length;
  return { passages: passages.length, meanWords: Math.round(words), passagesPerSecond: Math.round(passages.length / seconds) };
}

try {
  const embedder = await createEmbedder({ model: 'offline', cacheDir: CACHE });
  const out: Record<string, unknown> = { model: embedder.info.id, machine: { cpus: (await import('node:os')).cpus().length, node: process.version } };
  out.embedThroughput = await embedThroughput(embedder);
  Object.assign(out, await seedBench(embedder));
  if (!values['skip-scale']) out.scale = await scaleBench(embedder);
  if (!values['skip-bot'] || !values['skip-fairness'] || !values['skip-outage']) {
    const dir = await mkdtemp(path.join(tmpdir(), 'bench-bot-'));
    try {
      await buildIndex({ reportsDir: 'seeds', indexDir: dir, embedder, englishRanks: await englishRanks(CACHE) });
      const searcher = createSearcher({ index: await loadIndex(dir), embedder });
      const { runBotLoadBench, runFairnessBench } = await import('./bench-bot');
      if (!values['skip-bot']) out.botLoad = await runBotLoadBench(searcher);
      if (!values['skip-fairness']) out.fairness = { ...(await runFairnessBench(searcher)), target: 'p99Ratio <= 2' };
      if (!values['skip-outage']) {
        const { runOutageBench } = await import('./bench-outage');
        out.outage = { ...(await runOutageBench(searcher, OUTAGE_SECONDS)), target: 'pollingResumedAfterSeconds <= 35' };
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  out.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
} catch (err) {
  fail(err);
}
