import type { ModelInfo } from '../embed/types';
import type { ChunkingSettings } from '../ingest/types';

/** Bumped whenever the on-disk layout changes; older indexes must be rebuilt. */
export const FORMAT_VERSION = 2;

export interface ReportEntry {
  path: string;
  hash: string;
  title: string;
  passages: number;
}

export interface HnswSettings {
  space: 'cosine';
  m: number;
  efConstruction: number;
  efSearch: number;
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
  corpus: { reports: ReportEntry[] };
  chunking: ChunkingSettings;
  counts: { reports: number; passages: number; duplicatesRemoved: number; skipped: number };
  hnsw: HnswSettings;
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
  if (!isObject(corpus) || !Array.isArray(corpus.reports)) problems.push('corpus section is missing');
  const hnsw = value.hnsw;
  if (!isObject(hnsw) || typeof hnsw.efSearch !== 'number') problems.push('hnsw section is missing');
  if (!isObject(value.files)) problems.push('files section is missing');
  if (!isObject(value.calibration) || !isObject(value.calibration.denseNull)) problems.push('calibration section is missing');
  return problems;
}
