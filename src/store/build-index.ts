import { existsSync } from 'node:fs';
import { copyFile, mkdir, open, readdir, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { withInducedWords } from '../embed/a-la-carte';
import type { Embedder } from '../embed/types';
import { createDuplicateFilter } from '../ingest/dedupe';
import { hashText, readReports, type SkippedFile } from '../ingest/read-reports';
import { DEFAULT_CHUNKING, splitReport } from '../ingest/split-passages';
import type { ChunkingSettings, Passage, Report } from '../ingest/types';
import { IndexError } from '../errors';
import { CALIBRATION_PROBES } from './calibration-probes';
import { collectGarbage } from './collect-garbage';
import { BUILDS_DIR, cleanBuilds, FILES, finalBuildDir, graphFiles, newBuildId, publishBuild, resolveLiveDir, tempBuildDir } from './layout';
import { writeCorpus, writeSearchFiles } from './index-files';
import { type IndexData, loadIndexData, loadIndexFrom, type StoredReport } from './load-index';
import { acquireBuildLock } from './lock';
import { type DenseNull, FORMAT_VERSION, graphFilesOf, type HnswSettings, type IndexManifest, type SkippedEntry } from './manifest';
import { createGraphBuilder, HNSW_SEED } from './graph-builder';
import { graphShardCount } from './graph-shards';
import { embedTerms, inducedWords } from './term-vectors';
import type { EnglishRanks } from '../embed/english-ranks';

/**
 * hnswlib settings: M=16 is hnswlib's recommended default; efConstruction 100 because on 98k synthetic
 * passages it builds the graph in 25 s against 35 s for 200 at recall@10 0.9955 against 0.9995 (ef 128);
 * efSearch 128 because ef=10 gives poor recall.
 */
export const DEFAULT_HNSW: HnswSettings = { space: 'cosine', m: 16, efConstruction: 100, efSearch: 128 };

export type BuildPhase = 'read' | 'embed' | 'index' | 'write';

export interface BuildProgress {
  phase: BuildPhase;
  done: number;
  total: number;
}

export interface BuildOptions {
  reportsDir: string;
  indexDir: string;
  embedder: Embedder;
  chunking?: ChunkingSettings;
  hnsw?: HnswSettings;
  onProgress?: (progress: BuildProgress) => void;
  /** How long to wait for another build's lock before failing (default: fail at once). */
  lockWaitMs?: number;
  /** English word frequency ranks, stored with the corpus words so search can tell on-topic words. */
  englishRanks?: EnglishRanks;
  /** Graph shards to build (default: graphShardCount of the passages). */
  graphShards?: number;
}

export interface BuildSummary {
  buildId: string;
  /** The published build folder. */
  dir: string;
  reports: number;
  passages: number;
  duplicatesRemoved: number;
  skipped: SkippedFile[];
  /** Problems that did not stop a report from being indexed (ignored sidecar fields). */
  warnings: SkippedFile[];
  /** Absolute path of the reports folder the build read. */
  reportsDir: string;
  modelId: string;
  offlineModel: boolean;
  /** Passages whose vectors were reused from the previous index (same model, same text). */
  reused: number;
  embedded: number;
  /** Passages of the previous index that are gone. */
  removed: number;
  seconds: number;
}

function vectorBytes(vectors: Float32Array): Buffer {
  return Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength);
}

async function previousIndex(indexDir: string, embedder: Embedder): Promise<IndexData | null> {
  const dir = await resolveLiveDir(indexDir);
  if (!dir) return null;
  try {
    const prev = await loadIndexData(dir);
    const same = prev.manifest.model.fingerprint === embedder.info.fingerprint && prev.manifest.model.dims === embedder.info.dims;
    return same ? prev : null;
  } catch {
    return null;
  }
}

/** Mean and spread of the probes' top-1 similarities: the dense "nothing relevant" baseline. */
function denseNullOf(tops: number[]): DenseNull {
  const mean = tops.reduce((a, b) => a + b, 0) / tops.length;
  const variance = tops.reduce((a, b) => a + (b - mean) ** 2, 0) / tops.length;
  return { mean, std: Math.max(Math.sqrt(variance), 1e-3) };
}

async function probeVectors(embedder: Embedder): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const q of CALIBRATION_PROBES) out.push(await embedder.embedQuery(q));
  return out;
}

/**
 * Builds the hnsw graph over row-major `vectors` and measures the dense "nothing relevant"
 * baseline with the calibration probes. Shared by the on-disk build and in-memory evaluation indexes.
 */
export async function indexVectors(
  vectors: Float32Array,
  count: number,
  embedder: Embedder,
  settings: HnswSettings = DEFAULT_HNSW,
  progress: (p: BuildProgress) => void = () => {},
): Promise<{ hnsw: hnswlib.HierarchicalNSW; calibration: { denseNull: DenseNull } }> {
  const dims = embedder.info.dims;
  const hnsw = new hnswlib.HierarchicalNSW('cosine', dims);
  hnsw.initIndex(Math.max(1, count), settings.m, settings.efConstruction, HNSW_SEED);
  const reportEvery = Math.max(1, Math.floor(count / 100));
  for (let i = 0; i < count; i++) {
    hnsw.addPoint(Array.from(vectors.subarray(i * dims, (i + 1) * dims)), i);
    if (i % reportEvery === 0) progress({ phase: 'index', done: i + 1, total: count });
  }
  progress({ phase: 'index', done: count, total: count });
  hnsw.setEf(settings.efSearch);
  const tops = (await probeVectors(embedder)).map((v) => 1 - (hnsw.searchKnn(Array.from(v), 1).distances[0] ?? 1));
  return { hnsw, calibration: { denseNull: denseNullOf(tops) } };
}

/** Checks a freshly written build before it goes live: it loads, and vectors find themselves. */
async function validate(dir: string, expectedPassages: number): Promise<void> {
  const loaded = await loadIndexFrom(dir);
  if (loaded.passages.length !== expectedPassages) {
    throw new IndexError('INDEX_CORRUPT', `Validation failed: wrote ${expectedPassages} passages, read back ${loaded.passages.length}.`);
  }
  const dims = loaded.manifest.model.dims;
  const step = Math.max(1, Math.floor(expectedPassages / 50));
  let checked = 0;
  let found = 0;
  for (let i = 0; i < expectedPassages; i += step) {
    const v = Array.from(loaded.vectors.subarray(i * dims, (i + 1) * dims));
    if (loaded.hnsw.searchKnn(v, Math.min(3, expectedPassages)).neighbors.includes(i)) found++;
    checked++;
  }
  // Identical texts give identical vectors, so allow a little slack over exact self-retrieval.
  if (found < checked * 0.9) throw new IndexError('INDEX_CORRUPT', `Validation failed: only ${found}/${checked} vectors retrieve themselves.`);
}

/** Cuts every report into passages with corpus-wide duplicate removal and unique ids. */
function splitAll(reports: Report[], chunking: ChunkingSettings): { passages: Passage[]; perReport: Map<string, number>; duplicatesRemoved: number } {
  const filter = createDuplicateFilter(chunking.nearDuplicateJaccard);
  const passages: Passage[] = [];
  const perReport = new Map<string, number>();
  let duplicatesRemoved = 0;
  const ids = new Set<string>();
  for (const report of reports) {
    const split = splitReport(report, chunking, filter);
    duplicatesRemoved += split.duplicates;
    for (const p of split.passages) {
      let id = p.id;
      for (let n = 2; ids.has(id); n++) id = `${p.id}-${n}`;
      ids.add(id);
      passages.push({ ...p, id });
    }
    perReport.set(report.path, split.passages.length);
  }
  return { passages, perReport, duplicatesRemoved };
}

/** Writes a file and flushes it to disk, so a published build survives a power cut, not just a crash. */
async function writeDurable(file: string, data: string | Uint8Array | readonly Uint8Array[]): Promise<number> {
  const handle = await open(file, 'w');
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data);
    else for (const part of data) await handle.writeFile(part);
    await handle.sync();
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

/** Flushes a file written by someone else (hnswlib) to disk and returns its size. */
async function syncFile(file: string): Promise<number> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

interface PassagePlan {
  passages: Passage[];
  perReport: Map<string, number>;
  duplicatesRemoved: number;
}

/** The previous passages when nothing that decides them changed; otherwise a fresh split. */
function planPassages(reports: Report[], chunking: ChunkingSettings, prev: IndexData | null): PassagePlan {
  const sameCorpus =
    prev !== null &&
    JSON.stringify(prev.manifest.chunking) === JSON.stringify(chunking) &&
    prev.manifest.corpus.reports.length === reports.length &&
    prev.manifest.corpus.reports.every((r, i) => r.path === reports[i]?.path && r.hash === reports[i]?.hash);
  if (!prev || !sameCorpus) return splitAll(reports, chunking);
  return {
    passages: prev.passages,
    perReport: new Map(prev.manifest.corpus.reports.map((r) => [r.path, r.passages])),
    duplicatesRemoved: prev.manifest.counts.duplicatesRemoved,
  };
}

/** Passages embedded per step: each step's vectors go to the graph worker at once, and only one step's vectors are held as separate arrays. */
const EMBED_STEP = 4096;

/** Where vectorsFor writes: a row-major array, and a hook told when rows are written. */
interface VectorSink {
  vectors: Float32Array;
  filled(start: number, end: number): void;
}

function plainSink(count: number, dims: number): VectorSink {
  return { vectors: new Float32Array(count * dims), filled: () => {} };
}

/** Vectors for all passages into `sink`: reused from the previous index by text hash, the rest embedded in steps. */
async function vectorsFor(
  passages: Passage[],
  prev: IndexData | null,
  embedder: Embedder,
  sink: VectorSink,
  progress: (p: BuildProgress) => void,
): Promise<{ embedded: number; removed: number }> {
  const dims = embedder.info.dims;
  const { vectors } = sink;
  const cache = new Map<string, number>();
  prev?.passages.forEach((p, i) => cache.set(hashText(p.text), i));
  /** Text hashes of this build, to count the previous passages that are gone (none without a previous index). */
  const current = prev ? new Set<string>() : null;
  const todo: number[] = [];
  passages.forEach((p, i) => {
    const h = prev ? hashText(p.text) : '';
    current?.add(h);
    const hit = cache.get(h);
    if (prev && hit !== undefined) {
      vectors.set(prev.vectors.subarray(hit * dims, (hit + 1) * dims), i * dims);
      sink.filled(i, i + 1);
    } else todo.push(i);
  });
  const reused = passages.length - todo.length;
  progress({ phase: 'embed', done: reused, total: passages.length });
  for (let step = 0; step < todo.length; step += EMBED_STEP) {
    const rows = todo.slice(step, step + EMBED_STEP);
    const fresh = await embedder.embedPassages(
      rows.map((i) => passages[i]?.text ?? ''),
      (done) => progress({ phase: 'embed', done: reused + step + done, total: passages.length }),
    );
    fresh.forEach((v, j) => vectors.set(v, (rows[j] ?? 0) * dims));
    for (const i of rows) sink.filled(i, i + 1);
  }
  const removed = current ? [...cache.keys()].filter((h) => !current.has(h)).length : 0;
  return { embedded: todo.length, removed };
}

/**
 * Same passage texts in the same order. A function of its own so that no closure of startBuild
 * captures the passages: finishGraph's closure would otherwise keep them alive while the graph finishes.
 */
function sameTexts(a: readonly Passage[], b: readonly Passage[]): boolean {
  return a.length === b.length && a.every((p, i) => p.text === b[i]?.text);
}

/** Everything a build computes before it is written to a store. */
export interface PreparedBuild {
  reportsDir: string;
  reports: Report[];
  skipped: SkippedEntry[];
  warnings: SkippedFile[];
  passages: Passage[];
  perReport: Map<string, number>;
  duplicatesRemoved: number;
  vectors: Float32Array;
  embedded: number;
  removed: number;
  terms: Awaited<ReturnType<typeof embedTerms>>;
  calibration: IndexManifest['calibration'];
}

/** The report fields a manifest keeps: everything but the text. */
type ReportFacts = Pick<Report, 'path' | 'label' | 'format' | 'hash' | 'sourceHash' | 'title' | 'date' | 'url'>;

/** What a build's manifest and summary need: counts and report metadata, none of the texts, passages or vectors. */
export interface BuildFacts {
  reportsDir: string;
  reports: ReportFacts[];
  skipped: SkippedEntry[];
  warnings: SkippedFile[];
  passageCount: number;
  perReport: Map<string, number>;
  duplicatesRemoved: number;
  embedded: number;
  removed: number;
  calibration: IndexManifest['calibration'];
}

/** The facts of a prepared build (all but its calibration), holding none of its texts, so the rest can be freed. */
export function factsOf(prepared: Omit<PreparedBuild, 'calibration'>): Omit<BuildFacts, 'calibration'> {
  const { reportsDir, reports, skipped, warnings, passages, perReport, duplicatesRemoved, embedded, removed } = prepared;
  return {
    reportsDir,
    reports: reports.map(({ path: file, label, format, hash, sourceHash, title, date, url }) => ({ path: file, label, format, hash, sourceHash, title, date, url })),
    skipped,
    warnings,
    passageCount: passages.length,
    perReport,
    duplicatesRemoved,
    embedded,
    removed,
  };
}

/** A prepared build whose hnsw graph may still be growing on a worker thread. */
export interface StartedBuild {
  /**
   * Hands over what was prepared, once: afterwards the build holds none of it, so the passages and
   * texts can be freed while the graph finishes. A second call throws.
   */
  take(): Omit<PreparedBuild, 'calibration'>;
  /** True when the previous build's graph is still exact: finishing builds nothing and writes no file. */
  graphReused: boolean;
  /** The build's graph files in shard order: the previous build's when reused. */
  graphFiles: string[];
  /** Waits for the graph, writes its files into `dir` (unless null or reused) and returns the calibration. */
  finishGraph(dir: string | null): Promise<IndexManifest['calibration']>;
  /** Stops the graph worker of a build that will not be finished; harmless after finishGraph. */
  abort(): Promise<void>;
}

/**
 * Read → split → embed (reusing vectors of unchanged passages of `prev`), with the hnsw graph
 * built on a worker thread while passages are embedded: the store-independent part of a build.
 * `onPassages` is awaited once the passages are known, before anything is embedded.
 */
export async function startBuild(
  options: Pick<BuildOptions, 'reportsDir' | 'embedder' | 'englishRanks' | 'graphShards'>,
  chunking: ChunkingSettings,
  hnswSettings: HnswSettings,
  prev: IndexData | null,
  progress: (p: BuildProgress) => void,
  onPassages?: (reports: readonly Report[], passages: readonly Passage[]) => Promise<void>,
): Promise<StartedBuild> {
  const { embedder } = options;
  const reportsDir = path.resolve(options.reportsDir);
  const { reports, skipped, warnings } = await readReports(reportsDir);
  progress({ phase: 'read', done: reports.length, total: reports.length });
  const { passages, perReport, duplicatesRemoved } = planPassages(reports, chunking, prev);
  await onPassages?.(reports, passages);
  const terms = await embedTerms(passages.map((p) => p.text), embedder, prev?.terms, options.englishRanks);
  const passageEmbedder = withInducedWords(embedder, inducedWords(terms, embedder.info.dims));
  const dims = embedder.info.dims;
  const count = passages.length;
  // Same passages in the same order with the same settings: every vector is reused and the previous graph is still exact.
  const graphReused = prev !== null && sameTexts(prev.passages, passages) && JSON.stringify(prev.manifest.hnsw) === JSON.stringify(hnswSettings);
  const base = { reportsDir, reports, skipped, warnings, passages, perReport, duplicatesRemoved, terms };
  if (prev && graphReused) {
    const sink = plainSink(count, dims);
    const { embedded, removed } = await vectorsFor(passages, prev, passageEmbedder, sink, progress);
    progress({ phase: 'index', done: count, total: count });
    const calibration = prev.manifest.calibration;
    return {
      take: handOver({ ...base, vectors: sink.vectors, embedded, removed }),
      graphReused,
      graphFiles: graphFilesOf(prev.manifest),
      finishGraph: async () => calibration,
      abort: async () => {},
    };
  }
  let embedding = true;
  const shards = options.graphShards ?? graphShardCount(count);
  const files = graphFiles(shards);
  const graph = createGraphBuilder({ count, dims, settings: hnswSettings, shards, onAdded: (added) => !embedding && progress({ phase: 'index', done: added, total: count }) });
  try {
    const { embedded, removed } = await vectorsFor(passages, prev, passageEmbedder, graph, progress);
    embedding = false;
    const probes = await probeVectors(passageEmbedder);
    return {
      take: handOver({ ...base, vectors: graph.vectors, embedded, removed }),
      graphReused,
      graphFiles: files,
      async finishGraph(dir) {
        const tops = await graph.finish(probes, dir === null ? null : files.map((f) => path.join(dir, f)));
        progress({ phase: 'index', done: count, total: count });
        return { denseNull: denseNullOf(tops) };
      },
      abort: () => graph.abort(),
    };
  } catch (err) {
    await graph.abort();
    throw err;
  }
}

/** A function that returns `value` once and then forgets it. */
function handOver<T>(value: T): () => T {
  let held: T | null = value;
  return () => {
    if (held === null) throw new Error('A started build was taken twice.');
    const out = held;
    held = null;
    return out;
  };
}

/** startBuild, waiting for the graph (without writing it): what a store that keeps no graph file needs. */
export async function prepareBuild(
  options: Pick<BuildOptions, 'reportsDir' | 'embedder' | 'englishRanks' | 'graphShards'>,
  chunking: ChunkingSettings,
  hnswSettings: HnswSettings,
  prev: IndexData | null,
  progress: (p: BuildProgress) => void,
): Promise<PreparedBuild> {
  const started = await startBuild(options, chunking, hnswSettings, prev, progress);
  try {
    const prepared = started.take();
    return { ...prepared, calibration: await started.finishGraph(null) };
  } finally {
    await started.abort();
  }
}

/** The manifest of a prepared build. */
export function manifestOf(
  prepared: BuildFacts,
  buildId: string,
  seconds: number,
  model: IndexManifest['model'],
  chunking: ChunkingSettings,
  hnswSettings: HnswSettings,
  files: Record<string, number>,
): IndexManifest {
  const { reports, skipped, perReport } = prepared;
  return {
    formatVersion: FORMAT_VERSION,
    buildId,
    builtAt: new Date().toISOString(),
    buildSeconds: Number(seconds.toFixed(3)),
    model,
    reportsDir: prepared.reportsDir,
    corpus: {
      reports: reports.map((r) => ({
        path: r.path,
        label: r.label,
        format: r.format,
        hash: r.hash,
        sourceHash: r.sourceHash,
        title: r.title,
        date: r.date,
        url: r.url,
        passages: perReport.get(r.path) ?? 0,
      })),
      skipped,
    },
    chunking,
    counts: { reports: reports.length, passages: prepared.passageCount, duplicatesRemoved: prepared.duplicatesRemoved, skipped: skipped.length },
    hnsw: hnswSettings,
    calibration: prepared.calibration,
    files,
  };
}

/** The summary a build reports, from what it prepared and published. */
export function summaryOf(prepared: BuildFacts, buildId: string, dir: string, embedder: Embedder, started: number): BuildSummary {
  return {
    buildId,
    dir,
    reports: prepared.reports.length,
    passages: prepared.passageCount,
    duplicatesRemoved: prepared.duplicatesRemoved,
    skipped: prepared.skipped.map(({ path: file, reason }) => ({ path: file, reason })),
    warnings: prepared.warnings,
    reportsDir: prepared.reportsDir,
    modelId: embedder.info.id,
    offlineModel: embedder.info.offline,
    reused: prepared.passageCount - prepared.embedded,
    embedded: prepared.embedded,
    removed: prepared.removed,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Starts a build and writes it into `tmpDir`: corpus files and vectors while the graph worker
 * finishes, then the graph and the manifest. Returns the build's summary (its `dir` and `seconds`
 * are set by the caller).
 */
async function writeBuild(
  prev: IndexData | null,
  options: BuildOptions,
  tmpDir: string,
  buildId: string,
  started: number,
  chunking: ChunkingSettings,
  hnswSettings: HnswSettings,
  progress: (p: BuildProgress) => void,
): Promise<BuildSummary> {
  const { embedder } = options;
  const { graph, files, facts } = await startAndWrite(prev, options, tmpDir, chunking, hnswSettings, progress);
  try {
    // Only the facts outlived startAndWrite: the passages, texts and BM25 arrays are freed while the graph workers finish (the vectors stay with them).
    collectGarbage();
    const calibration = await graph.finishGraph(graph.graphReused ? null : tmpDir);
    for (const name of graph.graphFiles) {
      if (graph.graphReused && prev) await copyFile(path.join(prev.dir, name), path.join(tmpDir, name));
      files[name] = await syncFile(path.join(tmpDir, name));
    }
    const built: BuildFacts = { ...facts, calibration };
    const manifest = { ...manifestOf(built, buildId, (performance.now() - started) / 1000, embedder.info, chunking, hnswSettings, files), graph: { files: graph.graphFiles } };
    await writeDurable(path.join(tmpDir, FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
    return summaryOf(built, buildId, tmpDir, embedder, started);
  } finally {
    await graph.abort();
  }
}

/**
 * Starts a build and writes everything but its graph into `tmpDir`: the corpus files as soon as the
 * passages are known (before embedding, while no vectors or graph take memory), the search files after,
 * read back from them once the passages and texts are let go.
 */
async function startAndWrite(
  prev: IndexData | null,
  options: BuildOptions,
  tmpDir: string,
  chunking: ChunkingSettings,
  hnswSettings: HnswSettings,
  progress: (p: BuildProgress) => void,
): Promise<{ graph: Omit<StartedBuild, 'take'>; files: Record<string, number>; facts: Omit<BuildFacts, 'calibration'> }> {
  await mkdir(tmpDir, { recursive: true });
  let files: Record<string, number> = {};
  const writeCorpusFiles = async (reports: readonly Report[], passages: readonly Passage[]): Promise<void> => {
    const stored: StoredReport[] = reports.map(({ sourceHash: _sourceHash, ...rest }) => rest);
    files = await writeCorpus(tmpDir, stored, passages, writeDurable);
    collectGarbage();
  };
  const { take, ...graph } = await startBuild(options, chunking, hnswSettings, prev, progress, writeCorpusFiles);
  try {
    const { facts, terms, vectors } = keptOf(take);
    collectGarbage();
    Object.assign(files, await writeSearchFiles(tmpDir, terms, writeDurable));
    files[FILES.vectors] = await writeDurable(path.join(tmpDir, FILES.vectors), vectorBytes(vectors));
    files[FILES.termVectors] = await writeDurable(path.join(tmpDir, FILES.termVectors), vectorBytes(terms.vectors));
    return { graph, files, facts };
  } catch (err) {
    await graph.abort();
    throw err;
  }
}

/** Takes a started build's prepared data and keeps only its facts, term list and vectors. */
function keptOf(take: StartedBuild['take']): { facts: Omit<BuildFacts, 'calibration'>; terms: PreparedBuild['terms']; vectors: Float32Array } {
  const prepared = take();
  return { facts: factsOf(prepared), terms: prepared.terms, vectors: prepared.vectors };
}

/**
 * Builds the index for a reports folder: read → split → embed (reusing vectors of unchanged
 * passages) → hnsw → write into a temp folder → validate → publish by an atomic symlink swap.
 * The live index is never touched until the new one is complete and valid.
 */
export async function buildIndex(options: BuildOptions): Promise<BuildSummary> {
  const started = performance.now();
  const chunking = options.chunking ?? DEFAULT_CHUNKING;
  const hnswSettings = options.hnsw ?? DEFAULT_HNSW;
  const progress = options.onProgress ?? (() => {});
  const { embedder, indexDir } = options;

  const createdIndexDir = !existsSync(indexDir);
  const createdBuildsDir = !existsSync(path.join(indexDir, BUILDS_DIR));
  const lock = await acquireBuildLock(indexDir, options.lockWaitMs ?? 0);
  const buildId = newBuildId();
  const tmpDir = tempBuildDir(indexDir, buildId);
  let published = false;
  try {
    await cleanBuilds(indexDir);
    // Only the summary outlives this call: the passages, vectors and previous index are garbage before validation loads the new build.
    const written = await writeBuild(await previousIndex(indexDir, embedder), options, tmpDir, buildId, started, chunking, hnswSettings, progress);
    progress({ phase: 'write', done: 1, total: 1 });

    await validate(tmpDir, written.passages);
    const finalDir = finalBuildDir(indexDir, buildId);
    await rename(tmpDir, finalDir);
    await publishBuild(indexDir, buildId);
    published = true;
    await cleanBuilds(indexDir);
    return { ...written, dir: finalDir, seconds: (performance.now() - started) / 1000 };
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
    await lock.release();
    if (!published) await removeIfEmpty(createdBuildsDir ? path.join(indexDir, BUILDS_DIR) : null, createdIndexDir ? indexDir : null);
  }
}

/** After a failed build, removes the folders it created, if nothing else appeared in them. */
async function removeIfEmpty(...dirs: Array<string | null>): Promise<void> {
  for (const dir of dirs) {
    if (dir === null) continue;
    try {
      if ((await readdir(dir)).length === 0) await rmdir(dir);
    } catch {
      // Already gone, or another process put something there: leave it.
    }
  }
}
