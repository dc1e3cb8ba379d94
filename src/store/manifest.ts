import type { ModelInfo } from '../embed/types';
import type { ChunkingSettings, ReportFormat } from '../ingest/types';
import { FILES } from './layout';

/** Bumped whenever the on-disk layout changes; older indexes must be rebuilt. */
export const FORMAT_VERSION = 4;

export interface ReportEntry {
  path: string;
  /** Stable display id derived from the path. */
  label: string;
  format: ReportFormat;
  /** sha256 of the extracted text. */
  hash: string;
  /** Fingerprint of the file and its sidecar, compared to decide whether the index is out of date. */
  sourceHash: string;
  title: string;
  /** ISO YYYY-MM-DD or null. */
  date: string | null;
  url: string | null;
  passages: number;
}

/** A file of the reports folder that the build did not index, and why. */
export interface SkippedEntry {
  path: string;
  reason: string;
  sourceHash: string;
}

export interface HnswSettings {
  space: 'cosine';
  m: number;
  efConstruction: number;
  efSearch: number;
}

/** The hnsw graph files of a build folder, in shard order: passage row r is in shard r % files.length, labelled r. */
export interface GraphLayout {
  files: string[];
}

/** Top-1 cosine similarity of off-topic probe questions against this index: the "nothing relevant" baseline. */
export interface DenseNull {
  mean: number;
  std: number;
}

export interface IndexManifest {
  formatVersion: number;
  buildId: string;
  builtAt: string;
  buildSeconds: number;
  model: ModelInfo;
  /** Absolute path of the reports folder this index was built from: the folder of record. */
  reportsDir: string;
  corpus: { reports: ReportEntry[]; skipped: SkippedEntry[] };
  chunking: ChunkingSettings;
  counts: { reports: number; passages: number; duplicatesRemoved: number; skipped: number };
  hnsw: HnswSettings;
  /** A build folder's graph files; absent in stores without graph files, and in folders written before graphs had shards (one `vectors.hnsw`). */
  graph?: GraphLayout;
  calibration: { denseNull: DenseNull };
  /** Byte sizes of the data files, checked on load to catch truncated files. */
  files: Record<string, number>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Returns the problems found in a parsed manifest (empty when it is usable). */
export function manifestProblems(value: unknown): string[] {
  if (!isObject(value)) return ['manifest is not a JSON object'];
  const problems: string[] = [];
  if (value.formatVersion !== FORMAT_VERSION) {
    problems.push(`format version ${String(value.formatVersion)} is not the supported version ${FORMAT_VERSION}`);
  }
  const model = value.model;
  if (!isObject(model) || typeof model.id !== 'string' || typeof model.dims !== 'number' || typeof model.fingerprint !== 'string') {
    problems.push('model section is missing or incomplete');
  }
  const corpus = value.corpus;
  if (!isObject(corpus) || !Array.isArray(corpus.reports) || !Array.isArray(corpus.skipped)) problems.push('corpus section is missing');
  if (typeof value.reportsDir !== 'string') problems.push('reports folder is missing');
  const hnsw = value.hnsw;
  if (!isObject(hnsw) || typeof hnsw.efSearch !== 'number') problems.push('hnsw section is missing');
  if (!isObject(value.files)) problems.push('files section is missing');
  else if (value.graph !== undefined) problems.push(...graphProblems(value.graph, value.files));
  if (!isObject(value.calibration) || !isObject(value.calibration.denseNull)) problems.push('calibration section is missing');
  return problems;
}

/** Problems of a manifest's graph section: it must name one or more files, each listed (with its size) in `files`. */
function graphProblems(graph: unknown, files: Record<string, unknown>): string[] {
  if (!isObject(graph) || !Array.isArray(graph.files) || graph.files.length === 0) return ['graph section is missing its files'];
  const unlisted = graph.files.filter((f) => typeof f !== 'string' || typeof files[f] !== 'number');
  return unlisted.length > 0 ? [`graph files ${unlisted.map(String).join(', ')} are not in the files section`] : [];
}

/** The graph files of a build folder: as its manifest lists them, or the one graph of a folder written before shards. */
export function graphFilesOf(manifest: IndexManifest): string[] {
  return manifest.graph?.files ?? [FILES.hnsw];
}
