/**
 * npm run bench -- [--passages N[,N…]] [--skip-scale] [--skip-peers] [--peers-passages N] [--ir-dir DIR] [--skip-bot] [--skip-fairness] [--skip-outage] [--outage-seconds S]
 * Prints one JSON object: build throughput, cold/warm ask latency, peak RSS, and at each N (default
 * 100,000) synthetic passages (`scale`, and `scales` when several): build seconds and peak RSS, an
 * unchanged rebuild, serving RSS and load seconds, hybrid ask p50/p99 and hnsw recall@10 per ef, each
 * stage in its own process (scripts/bench-scale-worker.ts); `peers`: MiniSearch, Orama and exact dense
 * search beside ours on synthetic passages (default 100,000) and Cranfield/MED (scripts/bench-peers.ts);
 * the bot under load, its fairness under a one-chat flood, and its recovery from an API outage.
 */
import { execFile } from 'node:child_process';
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
import { seedQuestions, stats } from './bench-stats';
import { fail, parseCli } from './cli-args';
import { writeSyntheticCorpus } from './synthetic-corpus';
import { modelCacheDirOf } from '../src/config';

const { values } = parseCli(
  {
    passages: { type: 'string' },
    'skip-scale': { type: 'boolean' },
    'skip-peers': { type: 'boolean' },
    'peers-passages': { type: 'string' },
    'ir-dir': { type: 'string' },
    'skip-bot': { type: 'boolean' },
    'skip-fairness': { type: 'boolean' },
    'skip-outage': { type: 'boolean' },
    'outage-seconds': { type: 'string' },
  },
  'Usage: npm run bench -- [--passages N[,N…]] [--skip-scale] [--skip-peers] [--peers-passages N] [--ir-dir DIR] [--skip-bot] [--skip-fairness] [--skip-outage] [--outage-seconds S]',
);
const OUTAGE_SECONDS = Number(values['outage-seconds'] ?? 100);
const CACHE = modelCacheDirOf(process.env);
const SCALE_PASSAGES = (values.passages ?? '100000').split(',').map(Number);

async function seedBench(embedder: Embedder): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-seeds-'));
  try {
    const summary = await buildIndex({ reportsDir: 'seeds', indexDir: dir, embedder, englishRanks: await englishRanks(CACHE) });
    const qs = await seedQuestions();
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

/** Runs a scale-bench stage in a child process (its own peak RSS) and returns its JSON. */
function runStage(args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/bench-scale-worker.ts', ...args], { maxBuffer: 16 * 2 ** 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`scale bench stage ${args[0]} failed: ${stderr || err.message}`));
      else resolve(JSON.parse(stdout) as Record<string, unknown>);
    });
  });
}

/** Build (full + unchanged) and serving figures at `passages` synthetic passages, each stage in a fresh process. */
async function scaleBench(passages: number): Promise<Record<string, unknown>> {
  const root = await mkdtemp(path.join(tmpdir(), 'bench-scale-'));
  try {
    const reports = path.join(root, 'reports');
    const indexDir = path.join(root, 'index');
    await writeSyntheticCorpus(reports, passages);
    const built = await runStage(['build', reports, indexDir]);
    const served = await runStage(['serve', indexDir]);
    return { ...built, ...served };
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
  if (!values['skip-scale']) {
    const scales: Array<Record<string, unknown>> = [];
    for (const n of SCALE_PASSAGES) scales.push(await scaleBench(n));
    out.scale = scales[0];
    if (scales.length > 1) out.scales = scales;
  }
  if (!values['skip-peers']) {
    const { runPeersBench } = await import('./bench-peers');
    out.peers = await runPeersBench(Number(values['peers-passages'] ?? 100_000), values['ir-dir'] ?? '../shared/ir');
  }
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
