/**
 * One stage of the scale bench in its own process, so that its peak RSS is its own:
 *   tsx scripts/bench-scale-worker.ts build REPORTS INDEX   full build, then an unchanged rebuild
 *   tsx scripts/bench-scale-worker.ts serve INDEX           load, RSS after loading, ask latency, dense recall
 * Prints one JSON object on stdout.
 */
import { createEmbedder } from '../src/embed/embedder';
import { createSearcher } from '../src/search/searcher';
import { buildIndex } from '../src/store/build-index';
import { loadIndex } from '../src/store/load-index';
import { seedQuestions, stats } from './bench-stats';
import { fail } from './cli-args';
import { rng } from './synthetic-corpus';
import { modelCacheDirOf } from '../src/config';

const CACHE = modelCacheDirOf(process.env);
const EF_VALUES = [32, 64, 100, 128, 200];
/** Queries for dense recall: the seed questions plus passage openings, enough for a stable recall figure. */
const RECALL_QUERIES = 200;
/** Rounds over the seed questions for ask latency, so p99 rests on a few hundred samples. */
const ASK_ROUNDS = 5;

const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);
const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

async function build(reportsDir: string, indexDir: string): Promise<Record<string, unknown>> {
  const embedder = await createEmbedder({ model: 'offline', cacheDir: CACHE });
  const full = await buildIndex({ reportsDir, indexDir, embedder });
  const afterFull = peakRssMb();
  const unchanged = await buildIndex({ reportsDir, indexDir, embedder });
  return {
    passages: full.passages,
    buildSeconds: Number(full.seconds.toFixed(2)),
    peakRssMb: afterFull,
    embedded: full.embedded,
    unchangedRebuild: { seconds: Number(unchanged.seconds.toFixed(2)), reused: unchanged.reused, embedded: unchanged.embedded, fractionOfFull: Number((unchanged.seconds / full.seconds).toFixed(3)) },
  };
}

async function serve(indexDir: string): Promise<Record<string, unknown>> {
  const embedder = await createEmbedder({ model: 'offline', cacheDir: CACHE });
  const qs = await seedQuestions();
  await embedder.embedQuery(qs[0] ?? 'warm up');
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const index = await loadIndex(indexDir);
  const searcher = createSearcher({ index, embedder });
  const loadSeconds = (performance.now() - t0) / 1000;
  const serveRss = process.memoryUsage().rss;

  const asks: number[] = [];
  for (const q of qs) await searcher.search(q, { k: 3 });
  for (let round = 0; round < ASK_ROUNDS; round++) {
    for (const q of qs) {
      const t = performance.now();
      await searcher.search(q, { k: 3 });
      asks.push(performance.now() - t);
    }
  }
  const ask = stats(asks);

  const dims = index.manifest.model.dims;
  const n = index.passages.length;
  const queryVectors: Float32Array[] = [];
  for (const q of qs) queryVectors.push(await embedder.embedQuery(q));
  const rand = rng(7);
  while (queryVectors.length < RECALL_QUERIES) {
    const p = index.passages.get(Math.floor(rand() * n));
    if (p) queryVectors.push(await embedder.embedQuery(p.text.slice(0, 120)));
  }
  const exactMs: number[] = [];
  const exact = queryVectors.map((q) => {
    const t = performance.now();
    const scores = new Float32Array(n);
    for (let d = 0; d < n; d++) {
      let s = 0;
      const off = d * dims;
      for (let j = 0; j < dims; j++) s += (q[j] ?? 0) * (index.vectors[off + j] ?? 0);
      scores[d] = s;
    }
    const top = new Set(Array.from(scores.keys()).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0)).slice(0, 10));
    exactMs.push(performance.now() - t);
    return top;
  });
  const recallAt = (ef: number): { recallAt10: number; latencyMs: ReturnType<typeof stats> } => {
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
    return { recallAt10: Number((found / (queryVectors.length * 10)).toFixed(4)), latencyMs: stats(times) };
  };
  const hnswByEf: Record<string, unknown> = {};
  for (const ef of EF_VALUES) hnswByEf[String(ef)] = recallAt(ef);
  const chosenEf = index.manifest.hnsw.efSearch;
  const denseRecallAt10 = recallAt(chosenEf).recallAt10;
  index.hnsw.setEf(chosenEf);
  return {
    passages: n,
    serveRssMb: mb(serveRss),
    serveRssAddedMb: mb(serveRss - rssBefore),
    loadSeconds: Number(loadSeconds.toFixed(3)),
    askP50Ms: ask.p50,
    askP99Ms: ask.p99,
    denseRecallAt10,
    hybridAskMs: ask,
    chosenEf,
    hnswByEf,
    exactDenseMs: stats(exactMs),
    servePeakRssMb: peakRssMb(),
    queries: queryVectors.length,
  };
}

try {
  const [stage, a, b] = process.argv.slice(2);
  let out: Record<string, unknown>;
  if (stage === 'build' && a && b) out = await build(a, b);
  else if (stage === 'serve' && a) out = await serve(a);
  else throw new Error('Usage: tsx scripts/bench-scale-worker.ts build REPORTS INDEX | serve INDEX');
  process.stdout.write(`${JSON.stringify(out)}\n`);
} catch (err) {
  fail(err);
}
