import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { IndexError } from '../errors';
import type { Passage, Report } from '../ingest/types';
import { FILES, resolveLiveDir } from './layout';
import { type IndexManifest, manifestProblems } from './manifest';
import type { TermVectors } from './term-vectors';

/** A report as the index stores it: its extracted text and metadata. */
export type StoredReport = Omit<Report, 'sourceHash'>;

/** Passage metadata as stored; the text is sliced from the stored report on load. */
export type StoredPassage = Omit<Passage, 'text'>;

/** Nearest passages to a query vector by cosine distance: hnswlib in memory, or pgvector. */
export interface DenseIndex {
  searchKnn(query: number[], k: number): { neighbors: number[]; distances: number[] } | Promise<{ neighbors: number[]; distances: number[] }>;
}

export interface LoadedIndex {
  /** The build folder the files were read from. */
  dir: string;
  manifest: IndexManifest;
  reports: StoredReport[];
  passages: Passage[];
  /** Row-major passage vectors, passages.length × manifest.model.dims. */
  vectors: Float32Array;
  /** The corpus's words with their vectors (query expansion). */
  terms: TermVectors;
  hnsw: DenseIndex;
}

/** An index loaded from a build folder: its dense side is an hnswlib graph. */
export type LocalIndex = Omit<LoadedIndex, 'hnsw'> & { hnsw: hnswlib.HierarchicalNSW };

const REBUILD_HINT = 'Rebuild it with: npm run build-index';

function corrupt(dir: string, problem: string, cause?: unknown): IndexError {
  return new IndexError('INDEX_CORRUPT', `The index in ${dir} is unusable: ${problem}.`, { cause, hint: REBUILD_HINT });
}

async function readJson<T>(dir: string, name: string): Promise<T> {
  let raw: string;
  try {
    raw = await readFile(path.join(dir, name), 'utf8');
  } catch (cause) {
    throw corrupt(dir, `${name} cannot be read`, cause);
  }
  try {
    return JSON.parse(raw) as T;
  } catch (cause) {
    throw corrupt(dir, `${name} is not valid JSON`, cause);
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

/** Everything of a build except the hnsw graph: what a rebuild reuses. */
export type IndexData = Omit<LoadedIndex, 'hnsw'>;

/** Loads a build folder's manifest, reports, passages and vectors, checking every file's size against the manifest. */
export async function loadIndexData(dir: string): Promise<IndexData> {
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

  const reports = await readJson<StoredReport[]>(dir, FILES.reports);
  const stored = await readJson<StoredPassage[]>(dir, FILES.passages);
  const byPath = new Map(reports.map((r) => [r.path, r]));
  const passages: Passage[] = stored.map((p) => {
    const report = byPath.get(p.source);
    if (!report || p.end > report.text.length || p.start < 0 || p.start >= p.end) {
      throw corrupt(dir, `passage ${p.id} points outside its report`);
    }
    return { ...p, text: report.text.slice(p.start, p.end) };
  });

  const dims = manifest.model.dims;
  const buf = await readFile(path.join(dir, FILES.vectors));
  if (buf.byteLength !== passages.length * dims * 4) throw corrupt(dir, `${FILES.vectors} does not hold ${passages.length} vectors of ${dims} dimensions`);
  const vectors = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const { words, ranks, induced } = await readJson<{ words: string[]; ranks: number[] | null; induced?: number[] }>(dir, FILES.terms);
  const termBuf = await readFile(path.join(dir, FILES.termVectors));
  if (termBuf.byteLength !== words.length * dims * 4) throw corrupt(dir, `${FILES.termVectors} does not hold ${words.length} vectors of ${dims} dimensions`);
  const terms = { words, ranks, induced: induced ?? [], vectors: new Float32Array(termBuf.buffer.slice(termBuf.byteOffset, termBuf.byteOffset + termBuf.byteLength)) };
  return { dir, manifest, reports, passages, vectors, terms };
}

/** Loads a build folder, checking every file against the manifest. */
export async function loadIndexFrom(dir: string): Promise<LocalIndex> {
  const data = await loadIndexData(dir);
  const { manifest, passages } = data;
  const dims = manifest.model.dims;
  const hnsw = new hnswlib.HierarchicalNSW('cosine', dims);
  try {
    hnsw.readIndexSync(path.join(dir, FILES.hnsw));
  } catch (cause) {
    throw corrupt(dir, `${FILES.hnsw} cannot be read`, cause);
  }
  if (hnsw.getCurrentCount() !== passages.length) {
    throw corrupt(dir, `${FILES.hnsw} holds ${hnsw.getCurrentCount()} vectors for ${passages.length} passages`);
  }
  hnsw.setEf(manifest.hnsw.efSearch);
  return { ...data, hnsw };
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
