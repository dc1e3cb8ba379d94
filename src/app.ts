/**
 * Composition root shared by src/main.ts and scripts/*: creates the embedder, builds the index
 * when needed and returns a ready Searcher.
 */
import { createEmbedder } from './embed/embedder';
import type { Embedder } from './embed/types';
import { AppError } from './errors';
import path from 'node:path';
import { scanReportSources } from './ingest/read-reports';
import { createLiveSearcher, type LiveSearcher, type LiveSearcherOptions } from './search/live-searcher';
import { createSearcher } from './search/searcher';
import type { Searcher } from './search/types';
import { createProgressBar, formatBuildSummary } from './console/build-report';
import { buildIndex, type BuildProgress, type BuildSummary } from './store/build-index';
import { loadIndex, loadIndexFrom, readManifest } from './store/load-index';
import { englishRanks, type EnglishRanks } from './embed/english-ranks';

export type { BuildProgress, BuildSummary };

export interface OpenSearcherOptions {
  reportsDir: string;
  indexDir: string;
  /** Embedding model id, or `offline`. */
  model: string;
  modelCacheDir: string;
  /** `if-stale`: build when the index is missing, unreadable, built with another model, or older than the reports. */
  rebuild: 'if-stale' | 'never';
  /** Warnings and notices for the operator (model fallback, skipped files, why a build runs). */
  onWarning: (message: string) => void;
  /** Notices for the operator (why a build runs, its summary); default: onWarning. */
  onNotice?: (message: string) => void;
  /** Where build progress goes (a progress bar on a TTY). Default: process.stderr. */
  progressStream?: NodeJS.WriteStream;
}

export interface OpenedSearcher {
  searcher: Searcher;
  embedder: Embedder;
  /** The build folder the searcher was loaded from. */
  buildDir: string;
  /** Present when this call built the index. */
  built: BuildSummary | null;
}

/** Errors of an index on disk that a fresh build from the reports fixes. */
const REBUILDABLE: ReadonlySet<string> = new Set(['INDEX_MISSING', 'INDEX_CORRUPT', 'INDEX_MODEL_MISMATCH']);

/** The reports folder used when neither REPORTS_DIR nor an index names one. */
export const DEFAULT_REPORTS_DIR = 'seeds';

export interface ReportsFolder {
  /** The folder to read reports from. */
  dir: string;
  /** Set when REPORTS_DIR and the index's folder of record differ: which one is used, and why. */
  notice: string | null;
}

/**
 * The reports folder of record: `configured` (REPORTS_DIR or --reports) when given, else the folder
 * the index in `indexDir` was built from, else seeds/. Says which one it uses when the two differ.
 */
export async function resolveReportsDir(configured: string | null, indexDir: string, setting = 'REPORTS_DIR'): Promise<ReportsFolder> {
  const recorded = await readManifest(indexDir).then(
    (m) => m?.reportsDir ?? null,
    () => null,
  );
  if (configured === null) return { dir: recorded ?? DEFAULT_REPORTS_DIR, notice: null };
  if (recorded === null || path.resolve(configured) === recorded) return { dir: configured, notice: null };
  return {
    dir: configured,
    notice: `Using the reports folder ${path.resolve(configured)} (${setting}); the index in ${indexDir} was built from ${recorded}.`,
  };
}

/** Why the index in `indexDir` must be rebuilt for these reports and this model, or null if it is fresh. */
async function staleReason(indexDir: string, reportsDir: string, embedder: Embedder): Promise<string | null> {
  let manifest;
  try {
    manifest = await readManifest(indexDir);
  } catch (err) {
    return `the index is unreadable (${err instanceof Error ? err.message : String(err)})`;
  }
  if (!manifest) return 'there is no index yet';
  if (manifest.model.fingerprint !== embedder.info.fingerprint) {
    return `the index was built with ${manifest.model.id}, not ${embedder.info.id}`;
  }
  if (manifest.reportsDir !== path.resolve(reportsDir)) return `the index was built from another folder (${manifest.reportsDir})`;
  const sources = await scanReportSources(reportsDir);
  const indexed = new Map([...manifest.corpus.reports, ...manifest.corpus.skipped].map((r) => [r.path, r.sourceHash]));
  if (indexed.size !== sources.size || [...sources].some(([file, hash]) => indexed.get(file) !== hash)) {
    return 'the reports changed since the index was built';
  }
  return null;
}

/** Builds the index with a progress bar on `stream` and returns the summary. */
export async function buildWithProgress(
  options: { reportsDir: string; indexDir: string; embedder: Embedder; lockWaitMs?: number; englishRanks?: EnglishRanks },
  stream: NodeJS.WriteStream,
): Promise<BuildSummary> {
  const bar = createProgressBar(stream);
  try {
    return await buildIndex({ ...options, onProgress: (p) => bar.update(p) });
  } finally {
    bar.done();
  }
}

/** Opens the searcher the bot uses, building the index first when it is missing or stale. */
export async function openSearcher(options: OpenSearcherOptions): Promise<OpenedSearcher> {
  const notice = options.onNotice ?? options.onWarning;
  const embedder = await createEmbedder({ model: options.model, cacheDir: options.modelCacheDir, onWarning: options.onWarning, onNotice: notice });
  let built: BuildSummary | null = null;
  const rebuild = async (reason: string): Promise<void> => {
    notice(`Building the index because ${reason}.`);
    built = await buildWithProgress(
      { reportsDir: options.reportsDir, indexDir: options.indexDir, embedder, lockWaitMs: 120_000, englishRanks: await englishRanks(options.modelCacheDir) },
      options.progressStream ?? process.stderr,
    );
    notice(formatBuildSummary(built));
  };
  if (options.rebuild === 'if-stale') {
    const reason = await staleReason(options.indexDir, options.reportsDir, embedder);
    if (reason) await rebuild(reason);
  }
  const load = async (): Promise<{ searcher: Searcher; buildDir: string }> => {
    const index = await loadIndex(options.indexDir);
    return { searcher: createSearcher({ index, embedder }), buildDir: index.dir };
  };
  try {
    return { ...(await load()), embedder, built };
  } catch (err) {
    // A manifest can be fine while a data file is truncated; only a full load sees that.
    if (options.rebuild !== 'if-stale' || built !== null || !(err instanceof AppError) || !REBUILDABLE.has(err.code)) throw err;
    await rebuild(`it cannot be loaded (${err.message})`);
    return { ...(await load()), embedder, built };
  }
}

/** A loader for hot reloads: one build folder → searcher with `embedder` (INDEX_MODEL_MISMATCH for another model's build). */
export function buildLoader(embedder: Embedder): (buildDir: string) => Promise<Searcher> {
  return async (buildDir) => createSearcher({ index: await loadIndexFrom(buildDir), embedder });
}

/** Wraps an opened searcher in a live searcher that follows new builds published in `indexDir`. */
export function openLiveSearcher(
  opened: OpenedSearcher,
  options: { indexDir: string } & Pick<LiveSearcherOptions, 'pollMs' | 'onReload' | 'onReloadError'>,
): LiveSearcher {
  return createLiveSearcher({
    ...options,
    initial: opened.searcher,
    initialBuildDir: opened.buildDir,
    load: buildLoader(opened.embedder),
  });
}

/**
 * Rebuilds the index from the reports folder and switches `live` to the new build. Fails at once
 * with INDEX_LOCKED when another build holds the lock, and with the load error when the new build
 * cannot be switched to (the previous index keeps serving).
 */
export async function reindexLive(
  live: LiveSearcher,
  options: { reportsDir: string; indexDir: string; embedder: Embedder; englishRanks?: EnglishRanks },
  onProgress: (progress: BuildProgress) => void,
): Promise<BuildSummary> {
  const summary = await buildIndex({ ...options, onProgress });
  const outcome = await live.reloadNow();
  if (outcome.status === 'failed') throw outcome.error;
  return summary;
}

/**
 * Opens an existing index with the model that built it (no fallback: another model's vectors
 * would not match). Used by `npm run ask` and the benchmarks.
 */
export async function openExistingSearcher(
  indexDir: string,
  modelCacheDir: string,
  onNotice?: (message: string) => void,
): Promise<OpenedSearcher> {
  const index = await loadIndex(indexDir);
  const embedder = await createEmbedder({ model: index.manifest.model.id, cacheDir: modelCacheDir, allowFallback: false, onNotice });
  return { searcher: createSearcher({ index, embedder }), embedder, buildDir: index.dir, built: null };
}
