/**
 * One engine on one corpus in its own process, so its RSS is its own:
 *   node --expose-gc --import tsx scripts/bench-peers-worker.ts ENGINE CORPUS [IR_DIR]
 * ENGINE: ours (our BM25 index alone), ours-search (our whole searcher, lexical and hybrid; IR only),
 *         minisearch (default options), orama (default full-text), dense (exact brute force and our hnsw).
 * CORPUS: synthetic:N, cranfield or med. Prints one JSON object on stdout.
 */
import path from 'node:path';
import { create, insertMultiple, search as oramaSearch } from '@orama/orama';
import MiniSearch from 'minisearch';
import { createEmbedder } from '../src/embed/embedder';
import { createBm25Index } from '../src/search/bm25';
import { createSearcher } from '../src/search/searcher';
import type { SearchMode } from '../src/search/types';
import { indexVectors } from '../src/store/build-index';
import { contentTerms, stem } from '../src/text/tokens';
import { percentile, seedQuestions } from './bench-stats';
import { fail } from './cli-args';
import { memoryIndex, ndcgAt10, readIrCollection } from './eval/ir-data';
import { syntheticParagraphs } from './synthetic-corpus';
import { modelCacheDirOf } from '../src/config';

const CACHE = modelCacheDirOf(process.env);
/** Timed passes over the queries after one warm-up pass: a few hundred samples for p99. */
const TIMED_PASSES = 3;

interface Corpus {
  docs: Array<{ id: string; text: string }>;
  queries: Array<{ id: string; text: string }>;
  qrels: Map<string, Map<string, number>> | null;
}

async function loadCorpus(name: string, irDir: string): Promise<Corpus> {
  if (name.startsWith('synthetic:')) {
    const texts = await syntheticParagraphs(Number(name.slice('synthetic:'.length)));
    const queries = (await seedQuestions()).map((text, i) => ({ id: String(i), text }));
    return { docs: texts.map((text, i) => ({ id: String(i), text })), queries, qrels: null };
  }
  const ir = await readIrCollection(path.join(irDir, name));
  return { docs: ir.docs.map((d) => ({ id: d.id, text: d.text.trim() || d.title?.trim() || '(empty)' })), queries: ir.queries, qrels: ir.qrels };
}

const rssMb = (): number => {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round(process.memoryUsage().rss / 2 ** 20);
};

type Ranker = (query: string) => Promise<string[]> | string[];

/** Latency over warm passes and nDCG@10 of the first pass (when judged). */
async function measure(corpus: Corpus, rank: Ranker): Promise<Record<string, number | null>> {
  let ndcg = 0;
  let judged = 0;
  for (const q of corpus.queries) {
    const ids = await rank(q.text);
    const rels = corpus.qrels?.get(q.id);
    if (rels) {
      ndcg += ndcgAt10(ids, rels);
      judged++;
    }
  }
  const times: number[] = [];
  for (let pass = 0; pass < TIMED_PASSES; pass++) {
    for (const q of corpus.queries) {
      const t = performance.now();
      await rank(q.text);
      times.push(performance.now() - t);
    }
  }
  times.sort((a, b) => a - b);
  return { p50Ms: Number(percentile(times, 50).toFixed(3)), p99Ms: Number(percentile(times, 99).toFixed(3)), ndcg10: judged > 0 ? Number((ndcg / judged).toFixed(4)) : null };
}

async function run(engine: string, corpusName: string, irDir: string): Promise<Record<string, unknown>> {
  const corpus = await loadCorpus(corpusName, irDir);
  const base = rssMb();
  const t0 = performance.now();
  const since = (): number => Number(((performance.now() - t0) / 1000).toFixed(3));
  const out: Record<string, unknown> = { engine, corpus: corpusName, docs: corpus.docs.length, queries: corpus.queries.length };
  const finish = (buildSeconds: number): void => {
    const rss = rssMb();
    Object.assign(out, { buildSeconds, rssMb: rss, indexRssMb: rss - base });
  };

  if (engine === 'ours') {
    const index = createBm25Index(corpus.docs.map((d) => d.text));
    finish(since());
    const toTerms = (q: string) => contentTerms(q).map((w) => ({ term: stem(w), weight: 1 }));
    Object.assign(out, { lexical: await measure(corpus, (q) => index.search(toTerms(q), 10).map((h) => corpus.docs[h.doc]?.id ?? '')) });
  } else if (engine === 'minisearch') {
    const mini = new MiniSearch<{ id: string; text: string }>({ fields: ['text'] });
    mini.addAll(corpus.docs);
    finish(since());
    Object.assign(out, { lexical: await measure(corpus, (q) => mini.search(q).slice(0, 10).map((h) => String(h.id))) });
  } else if (engine === 'orama') {
    const db = create({ schema: { text: 'string' } as const });
    await insertMultiple(db, corpus.docs);
    finish(since());
    Object.assign(out, {
      lexical: await measure(corpus, async (q) => (await oramaSearch(db, { term: q, limit: 10 })).hits.map((h) => String(h.id))),
    });
  } else if (engine === 'ours-search') {
    const embedder = await createEmbedder({ model: 'offline', cacheDir: CACHE });
    const index = await memoryIndex(corpus.docs, embedder, CACHE);
    const searcher = createSearcher({ index, embedder, relativeFloor: 0 });
    finish(since());
    const by = (mode: SearchMode) => async (q: string) => (await searcher.search(q, { k: 10, mode })).hits.map((h) => h.source);
    Object.assign(out, { lexical: await measure(corpus, by('lexical')), hybrid: await measure(corpus, by('hybrid')) });
  } else if (engine === 'dense') {
    const embedder = await createEmbedder({ model: 'offline', cacheDir: CACHE });
    const dims = embedder.info.dims;
    const vectors = new Float32Array(corpus.docs.length * dims);
    (await embedder.embedPassages(corpus.docs.map((d) => d.text))).forEach((v, i) => vectors.set(v, i * dims));
    const embedSeconds = since();
    const rssExact = rssMb();
    const exact = (q: Float32Array): string[] => {
      // Every dot product, keeping the best ten by insertion (no full sort).
      const best: Array<{ d: number; s: number }> = [];
      for (let d = 0; d < corpus.docs.length; d++) {
        let s = 0;
        const off = d * dims;
        for (let j = 0; j < dims; j++) s += (q[j] ?? 0) * (vectors[off + j] ?? 0);
        if (best.length === 10 && s <= (best[9]?.s ?? -Infinity)) continue;
        let at = best.length;
        while (at > 0 && (best[at - 1]?.s ?? 0) < s) at--;
        best.splice(at, 0, { d, s });
        if (best.length > 10) best.pop();
      }
      return best.map((b) => corpus.docs[b.d]?.id ?? '');
    };
    const t1 = performance.now();
    const { hnsw } = await indexVectors(vectors, corpus.docs.length, embedder);
    const hnswSeconds = Number(((performance.now() - t1) / 1000).toFixed(3));
    const rssHnsw = rssMb();
    const queryVectors = new Map<string, Float32Array>();
    for (const q of corpus.queries) queryVectors.set(q.text, await embedder.embedQuery(q.text));
    const approx = (q: Float32Array): string[] => hnsw.searchKnn(Array.from(q), Math.min(10, corpus.docs.length)).neighbors.map((d) => corpus.docs[d]?.id ?? '');
    let found = 0;
    for (const q of corpus.queries) {
      const v = queryVectors.get(q.text) ?? new Float32Array(dims);
      const truth = new Set(exact(v));
      found += approx(v).filter((id) => truth.has(id)).length;
    }
    Object.assign(out, {
      embedSeconds,
      exact: { buildSeconds: 0, rssMb: rssExact, indexRssMb: rssExact - base, ...(await measure(corpus, (q) => exact(queryVectors.get(q) ?? new Float32Array(dims)))), recallAt10: 1 },
      hnsw: {
        buildSeconds: hnswSeconds,
        rssMb: rssHnsw,
        indexRssMb: rssHnsw - base,
        ...(await measure(corpus, (q) => approx(queryVectors.get(q) ?? new Float32Array(dims)))),
        recallAt10: Number((found / (corpus.queries.length * 10)).toFixed(4)),
      },
    });
  } else {
    throw new Error(`unknown engine ${engine}`);
  }
  return out;
}

try {
  const [engine, corpus, irDir] = process.argv.slice(2);
  if (!engine || !corpus) throw new Error('Usage: scripts/bench-peers-worker.ts ENGINE CORPUS [IR_DIR]');
  process.stdout.write(`${JSON.stringify(await run(engine, corpus, irDir ?? '../shared/ir'))}\n`);
} catch (err) {
  fail(err);
}
