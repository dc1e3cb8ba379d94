import { closeSync, fstatSync, openSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { IndexError } from '../errors';
import type { Passage } from '../ingest/types';
import type { Bm25Data } from '../search/bm25';
import { decodeBm25, decodeTermList } from './bm25-files';
import type { StoredLatent } from '../embed/latent-semantic';
import { decodeLatent } from './latent-file';
import { FILES, resolveLiveDir } from './layout';
import { graphFilesOf, type IndexManifest, manifestProblems } from './manifest';
import { bufferTextSource, decodeCorpus, fileTextSource, type PassageStore, type ReportInfo, type ReportStore, type StoredReport } from './passage-store';
import type { TermVectors } from './term-vectors';
import { shardedGraph, shardSize, type VectorGraph } from './graph-shards';
import { memoryVectorRows, openVectorFile, VectorFileError, type VectorRow } from './vector-rows';

export type { StoredReport } from './passage-store';

/** Passage metadata as stored; the text is sliced from the stored report on load. */
export type StoredPassage = Omit<Passage, 'text'>;

/** Nearest passages to a query vector by cosine distance: hnswlib in memory, or pgvector. */
export interface DenseIndex {
  searchKnn(query: number[], k: number): { neighbors: number[]; distances: number[] } | Promise<{ neighbors: number[]; distances: number[] }>;
}

/** What a searcher serves from: passages and reports by position, without an object per passage. */
export interface LoadedIndex {
  /** The build folder the files were read from. */
  dir: string;
  manifest: IndexManifest;
  reports: ReportStore;
  passages: PassageStore;
  /**
   * Row-major passage vectors, passages.length × manifest.model.dims. A served build folder reads
   * them from disk in full on first use (validation, exact search); search reads rows with `vectorRow`.
   */
  vectors: Float32Array;
  /** The vector of one passage. */
  vectorRow: VectorRow;
  /** The corpus's words with their vectors (query expansion). */
  terms: TermVectors;
  /** The BM25 arrays as built, or null when the searcher should index the passage texts itself. */
  bm25: Bm25Data | null;
  /**
   * The corpus's latent semantic model as the build fitted it: null when the corpus was too small for one,
   * undefined when the index does not carry one (the searcher then fits it from the passages).
   */
  latent?: StoredLatent | null;
  hnsw: DenseIndex;
}

/** An index loaded from a build folder: its dense side is an hnswlib graph, or its shards searched together. */
export type LocalIndex = Omit<LoadedIndex, 'hnsw'> & { hnsw: VectorGraph };

const REBUILD_HINT = 'Rebuild it with: npm run build-index';

function corrupt(dir: string, problem: string, cause?: unknown): IndexError {
  return new IndexError('INDEX_CORRUPT', `The index in ${dir} is unusable: ${problem}.`, { cause, hint: REBUILD_HINT });
}

async function readBytes(dir: string, name: string): Promise<Buffer> {
  try {
    return await readFile(path.join(dir, name));
  } catch (cause) {
    throw corrupt(dir, `${name} cannot be read`, cause);
  }
}

async function readJson<T>(dir: string, name: string): Promise<T> {
  const raw = (await readBytes(dir, name)).toString('utf8');
  try {
    return JSON.parse(raw) as T;
  } catch (cause) {
    throw corrupt(dir, `${name} is not valid JSON`, cause);
  }
}

/** Runs a decoder over a file's bytes, turning its failure into INDEX_CORRUPT. */
function decoded<T>(dir: string, name: string, decode: () => T): T {
  try {
    return decode();
  } catch (cause) {
    throw corrupt(dir, `${name} is inconsistent (${(cause as Error).message})`, cause);
  }
}

/** Reads and validates only the manifest of the live index; null when there is no index. */
export async function readManifest(indexDir: string): Promise<IndexManifest | null> {
  const dir = await resolveLiveDir(indexDir);
  if (!dir) return null;
  const manifest = await readJson<unknown>(dir, FILES.manifest);
  const problems = manifestProblems(manifest);
  if (problems.length > 0) throw corrupt(dir, problems.join('; '));
  return manifest as IndexManifest;
}

let fdCloser: FinalizationRegistry<number> | null = null;

/** Closes `fd` once `owner` has been garbage-collected. */
function closeWhenCollected(owner: object, fd: number): void {
  fdCloser ??= new FinalizationRegistry((held: number) => {
    try {
      closeSync(held);
    } catch {
      // Already closed.
    }
  });
  fdCloser.register(owner, fd);
}

/** Opens a file of the build folder for reading by position, with its size. */
function openFile(dir: string, name: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path.join(dir, name), 'r');
  } catch (cause) {
    throw corrupt(dir, `${name} cannot be read`, cause);
  }
  try {
    return { fd, size: fstatSync(fd).size };
  } catch (cause) {
    closeSync(fd);
    throw corrupt(dir, `${name} cannot be read`, cause);
  }
}

/** Opens the texts file for reading by position. */
function openTexts(dir: string): { fd: number; source: ReturnType<typeof fileTextSource> } {
  const { fd, size } = openFile(dir, FILES.texts);
  return { fd, source: fileTextSource(fd, size) };
}

/** A served index without its dense side. */
export type ServedData = Omit<LoadedIndex, 'hnsw'>;

/**
 * Everything of a build except the hnsw graph, with reports and passages as plain objects: what a
 * rebuild reuses (and what the Postgres store reads).
 */
export type IndexData = Omit<LoadedIndex, 'hnsw' | 'reports' | 'passages' | 'bm25' | 'vectorRow'> & { reports: StoredReport[]; passages: Passage[] };

/**
 * Loads a build folder's manifest, reports, passages, BM25 arrays and vectors, checking every file's
 * size against the manifest. Passage fields stay in typed arrays; texts and vectors are read from
 * their files per passage (or held in memory with `textsInMemory`).
 */
export async function loadServedData(dir: string, options: { textsInMemory?: boolean } = {}): Promise<ServedData> {
  return loadChecked(dir, await checkedManifest(dir), options);
}

/** The build folder's manifest, once every file it lists has the size it records. */
async function checkedManifest(dir: string): Promise<IndexManifest> {
  const manifestRaw = await readJson<unknown>(dir, FILES.manifest);
  const problems = manifestProblems(manifestRaw);
  if (problems.length > 0) throw corrupt(dir, problems.join('; '));
  const manifest = manifestRaw as IndexManifest;

  for (const [name, size] of Object.entries(manifest.files)) {
    let actual: number;
    try {
      actual = (await stat(path.join(dir, name))).size;
    } catch (cause) {
      throw corrupt(dir, `${name} is missing`, cause);
    }
    if (actual !== size) throw corrupt(dir, `${name} has ${actual} bytes, expected ${size} (truncated or replaced)`);
  }
  return manifest;
}

/** `loadServedData` after the manifest and file sizes are checked. */
async function loadChecked(dir: string, manifest: IndexManifest, options: { textsInMemory?: boolean }): Promise<ServedData> {
  const reportInfo = await readJson<ReportInfo[]>(dir, FILES.reports);
  if (!Array.isArray(reportInfo)) throw corrupt(dir, `${FILES.reports} is not a list`);
  const passageFile = await readBytes(dir, FILES.passages);
  if (options.textsInMemory) {
    const texts = bufferTextSource(await readBytes(dir, FILES.texts));
    const { reports, passages } = decoded(dir, FILES.passages, () => decodeCorpus(reportInfo, texts, passageFile));
    return finishLoad(dir, manifest, reports, passages, true);
  }
  const texts = openTexts(dir);
  let corpus: ReturnType<typeof decodeCorpus>;
  try {
    corpus = decoded(dir, FILES.passages, () => decodeCorpus(reportInfo, texts.source, passageFile));
  } catch (err) {
    closeSync(texts.fd);
    throw err;
  }
  // The texts file stays open while either store can read it (an open file outlives its build folder's removal).
  closeWhenCollected(texts.source, texts.fd);
  return finishLoad(dir, manifest, corpus.reports, corpus.passages, false);
}

/** The floats of a file's bytes, viewed in place when aligned (copied otherwise). */
function floatsOf(buf: Buffer): Float32Array {
  if (buf.byteOffset % 4 === 0) return new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

/**
 * The passage vectors: held in memory, or read by row from the open file (and in full only when
 * `vectors` is first read).
 */
async function loadVectors(dir: string, rows: number, dims: number, inMemory: boolean): Promise<{ vectorRow: VectorRow; vectors: () => Float32Array }> {
  const problem = `${FILES.vectors} does not hold ${rows} vectors of ${dims} dimensions`;
  if (inMemory) {
    const buf = await readBytes(dir, FILES.vectors);
    if (buf.byteLength !== rows * dims * 4) throw corrupt(dir, problem);
    const vectors = floatsOf(buf);
    return { vectorRow: memoryVectorRows(vectors, dims), vectors: () => vectors };
  }
  const { fd, size } = openFile(dir, FILES.vectors);
  if (size !== rows * dims * 4) {
    closeSync(fd);
    throw corrupt(dir, problem);
  }
  const file = openVectorFile(fd, rows, dims);
  closeWhenCollected(file.owner, fd);
  const read = <T>(get: () => T): T => {
    try {
      return get();
    } catch (cause) {
      throw cause instanceof VectorFileError ? corrupt(dir, `${FILES.vectors} is inconsistent (${cause.message})`, cause) : cause;
    }
  };
  let all: Float32Array | null = null;
  return { vectorRow: (doc) => read(() => file.row(doc)), vectors: () => (all ??= read(() => file.all())) };
}

/** Reads the BM25 arrays, vectors and corpus words that go with loaded stores. */
async function finishLoad(dir: string, manifest: IndexManifest, reports: ReportStore, passages: PassageStore, inMemory: boolean): Promise<ServedData> {
  if (passages.length !== manifest.counts.passages) throw corrupt(dir, `${FILES.passages} holds ${passages.length} passages, the manifest says ${manifest.counts.passages}`);
  const bm25Raw = await readBytes(dir, FILES.bm25);
  const bm25 = decoded(dir, FILES.bm25, () => decodeBm25(bm25Raw));
  if (bm25.docCount !== passages.length) throw corrupt(dir, `${FILES.bm25} indexes ${bm25.docCount} passages, not ${passages.length}`);

  // Builds before the latent model carry no file: the searcher fits one from the passages instead.
  let latent: StoredLatent | null | undefined;
  if (FILES.latent in manifest.files) {
    const latentRaw = await readBytes(dir, FILES.latent);
    latent = decoded(dir, FILES.latent, () => decodeLatent(latentRaw));
  }

  const dims = manifest.model.dims;
  const { vectorRow, vectors } = await loadVectors(dir, passages.length, dims, inMemory);
  const termRaw = await readBytes(dir, FILES.terms);
  const { words, ranks, induced } = decoded(dir, FILES.terms, () => decodeTermList(termRaw));
  const termBuf = await readBytes(dir, FILES.termVectors);
  if (termBuf.byteLength !== words.length * dims * 4) throw corrupt(dir, `${FILES.termVectors} does not hold ${words.length} vectors of ${dims} dimensions`);
  const terms = { words, ranks, induced, vectors: floatsOf(termBuf) };
  const data = { dir, manifest, reports, passages, terms, bm25, latent, vectorRow } as ServedData;
  // A getter, so that serving never reads the whole file unless asked to.
  Object.defineProperty(data, 'vectors', { enumerable: true, get: vectors });
  return data;
}

/** Loads a build folder's data with every report and passage as an object (what a rebuild reuses). */
export async function loadIndexData(dir: string): Promise<IndexData> {
  const { reports, passages, bm25: _bm25, vectorRow: _vectorRow, ...rest } = await loadServedData(dir, { textsInMemory: true });
  return { ...rest, reports: reports.toArray(), passages: passages.toArray() };
}

/** Reads one graph shard on a libuv thread; resolves to the problem instead of rejecting. */
async function readShard(dir: string, name: string, dims: number): Promise<{ graph: hnswlib.HierarchicalNSW; problem: IndexError | null }> {
  const graph = new hnswlib.HierarchicalNSW('cosine', dims);
  try {
    await graph.readIndex(path.join(dir, name));
    return { graph, problem: null };
  } catch (cause) {
    return { graph, problem: corrupt(dir, `${name} cannot be read`, cause) };
  }
}

/** Loads a build folder, checking every file against the manifest. */
export async function loadIndexFrom(dir: string): Promise<LocalIndex> {
  const manifest = await checkedManifest(dir);
  const names = graphFilesOf(manifest);
  // Each graph shard loads on its own libuv thread while this thread reads and checks the other files.
  const graphsRead = Promise.all(names.map((name) => readShard(dir, name, manifest.model.dims)));
  const [loaded, graphs] = await Promise.allSettled([loadChecked(dir, manifest, {}), graphsRead]);
  // A failure of the other files is reported first; the graphs are waited for either way.
  if (loaded.status === 'rejected') throw loaded.reason;
  if (graphs.status === 'rejected') throw graphs.reason;
  const problem = graphs.value.find((g) => g.problem !== null)?.problem;
  if (problem) throw problem;
  const data = loaded.value;
  const { passages } = data;
  const shards = graphs.value.map((g) => g.graph);
  shards.forEach((shard, i) => {
    const expected = shardSize(passages.length, shards.length, i);
    const held = shard.getCurrentCount();
    if (held === expected) return;
    const of = shards.length === 1 ? '' : ` (shard ${i + 1} of ${shards.length} should hold ${expected})`;
    throw corrupt(dir, `${names[i]} holds ${held} vectors for ${passages.length} passages${of}`);
  });
  const hnsw = shardedGraph(shards);
  hnsw.setEf(manifest.hnsw.efSearch);
  // Assigned onto `data` rather than spread, which would read every vector through its getter.
  return Object.assign(data, { hnsw });
}

/** Loads the live index of an index folder. Throws INDEX_MISSING when none was built. */
export async function loadIndex(indexDir: string): Promise<LocalIndex> {
  const dir = await resolveLiveDir(indexDir);
  if (!dir) {
    throw new IndexError('INDEX_MISSING', `No index found in ${indexDir}.`, {
      hint: 'Build it with: npm run build-index (add -- --index DIR for another folder).',
    });
  }
  return loadIndexFrom(dir);
}
