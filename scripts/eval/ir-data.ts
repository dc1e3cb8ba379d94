/** The Cranfield/MED collections of ../shared/ir and what scoring them needs: reading, an in-memory index, nDCG@10. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { withInducedWords } from '../../src/embed/a-la-carte';
import { englishRanks } from '../../src/embed/english-ranks';
import type { Embedder } from '../../src/embed/types';
import { DEFAULT_CHUNKING } from '../../src/ingest/split-passages';
import type { Passage } from '../../src/ingest/types';
import { DEFAULT_HNSW, indexVectors } from '../../src/store/build-index';
import type { LoadedIndex, StoredReport } from '../../src/store/load-index';
import { FORMAT_VERSION } from '../../src/store/manifest';
import { memoryCorpus } from '../../src/store/passage-store';
import { embedTerms, inducedWords } from '../../src/store/term-vectors';
import { memoryVectorRows } from '../../src/store/vector-rows';

export interface IrDoc {
  id: string;
  title?: string;
  text: string;
}

export interface IrCollection {
  docs: IrDoc[];
  queries: Array<{ id: string; text: string }>;
  /** Query id → document id → graded relevance. */
  qrels: Map<string, Map<string, number>>;
}

/** Reads docs.jsonl, queries.jsonl and qrels.tsv of one collection folder. */
export async function readIrCollection(dir: string): Promise<IrCollection> {
  const docs = await readJsonl<IrDoc>(path.join(dir, 'docs.jsonl'));
  const queries = await readJsonl<{ id: string; text: string }>(path.join(dir, 'queries.jsonl'));
  const qrels = new Map<string, Map<string, number>>();
  for (const line of (await readFile(path.join(dir, 'qrels.tsv'), 'utf8')).split('\n')) {
    const [q, d, rel] = line.trim().split('\t');
    if (!q || !d || !rel) continue;
    if (!qrels.has(q)) qrels.set(q, new Map());
    qrels.get(q)?.set(d, Number(rel));
  }
  return { docs, queries, qrels };
}

async function readJsonl<T>(file: string): Promise<T[]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/** An in-memory index with one passage per document, so retrieval is scored per document. */
export async function memoryIndex(docs: IrDoc[], embedder: Embedder, cacheDir: string): Promise<LoadedIndex> {
  const reports: StoredReport[] = docs.map((d) => {
    const text = d.text.trim() || d.title?.trim() || '(empty)';
    return { path: d.id, label: d.id, format: 'text', title: d.title ?? d.id, hash: '', text, date: null, url: null, author: null, pageStarts: null };
  });
  const passages: Passage[] = reports.map((r) => ({ id: r.path, source: r.path, start: 0, end: r.text.length, paragraph: 1, heading: null, text: r.text }));
  const dims = embedder.info.dims;
  const terms = await embedTerms(passages.map((p) => p.text), embedder, null, await englishRanks(cacheDir));
  const passageEmbedder = withInducedWords(embedder, inducedWords(terms, dims));
  const vectors = new Float32Array(passages.length * dims);
  (await passageEmbedder.embedPassages(passages.map((p) => p.text))).forEach((v, i) => vectors.set(v, i * dims));
  const { hnsw, calibration } = await indexVectors(vectors, passages.length, passageEmbedder);
  return {
    dir: '(memory)',
    manifest: {
      formatVersion: FORMAT_VERSION,
      buildId: 'memory',
      builtAt: new Date().toISOString(),
      buildSeconds: 0,
      model: embedder.info,
      reportsDir: '(memory)',
      corpus: {
        reports: reports.map((r) => ({ path: r.path, label: r.label, format: r.format, hash: '', sourceHash: '', title: r.title, date: null, url: null, passages: 1 })),
        skipped: [],
      },
      chunking: DEFAULT_CHUNKING,
      counts: { reports: reports.length, passages: passages.length, duplicatesRemoved: 0, skipped: 0 },
      hnsw: DEFAULT_HNSW,
      calibration,
      files: {},
    },
    ...memoryCorpus(reports, passages),
    bm25: null,
    vectors,
    vectorRow: memoryVectorRows(vectors, dims),
    terms,
    hnsw,
  };
}

/** nDCG@10 of a ranking of document ids against graded judgements. */
export function ndcgAt10(ranked: string[], rels: Map<string, number>): number {
  const dcg = ranked.slice(0, 10).reduce((s, doc, i) => s + (rels.get(doc) ?? 0) / Math.log2(i + 2), 0);
  const ideal = [...rels.values()].sort((a, b) => b - a).slice(0, 10).reduce((s, g, i) => s + g / Math.log2(i + 2), 0);
  return ideal > 0 ? dcg / ideal : 0;
}

