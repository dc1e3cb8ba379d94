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
import type { IndexManifest } from './store/manifest';
import { createPgStore, type PgStore, pgBuildRef } from './store/pg-store';
import { createPgClient, type SqlClient } from './store/sql-client';
import type { RedisClient } from './store/redis-client';
import { redisBuildLock } from './store/redis-lock';

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
  /** The Postgres store (DATABASE_URL); the index folder `indexDir` when absent. */
  store?: PgStore;
}

/** A Postgres store for DATABASE_URL, or null without one: then the index folder is used, as before. */
export function openPgStore(databaseUrl: string | null | undefined, redis?: RedisClient | null): { store: PgStore; client: SqlClient } | null {
  const url = databaseUrl?.trim();
  if (!url) return null;
  const client = createPgClient(url);
  return { store: createPgStore({ client, acquireLock: redis ? redisBuildLock(redis) : undefined }), client };
}

/** The live manifest of the store, or of the index folder. */
function liveManifest(indexDir: string, store?: PgStore): Promise<IndexManifest | null> {
  return store ? store.readManifest() : readManifest(indexDir);
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
export async function resolveReportsDir(configured: string | null, indexDir: string, setting = 'REPORTS_DIR', store?: PgStore): Promise<ReportsFolder> {
  const recorded = await liveManifest(indexDir, store).then(
    (m) => m?.reportsDir ?? null,
    () => null,
  );
  if (configured === null) return { dir: recorded ?? DEFAULT_REPORTS_DIR, notice: null };
  if (recorded === null || path.resolve(configured) === recorded) return { dir: configured, notice: null };
  return {
    dir: configured,
    notice: `Using the reports folder ${path.resolve(configured)} (${setting}); the index in ${store ? 'the database' : indexDir} was built from ${recorded}.`,
  };
}

/** Why the index in `indexDir` must be rebuilt for these reports and this model, or null if it is fresh. */
async function staleReason(indexDir: string, reportsDir: string, embedder: Embedder, store?: PgStore): Promise<string | null> {
  let manifest;
  try {
    manifest = await liveManifest(indexDir, store);
  } catch (err) {
    if (err instanceof AppError && err.code === 'STORE_UNAVAILABLE') throw err;
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
  options: { reportsDir: string; indexDir: string; embedder: Embedder; lockWaitMs?: number; englishRanks?: EnglishRanks; store?: PgStore },
  stream: NodeJS.WriteStream,
): Promise<BuildSummary> {
  const bar = createProgressBar(stream);
  const { store, ...buildOptions } = options;
  try {
    const onProgress = (p: BuildProgress): void => bar.update(p);
    return await (store ? store.build({ ...buildOptions, onProgress }) : buildIndex({ ...buildOptions, onProgress }));
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
      {
        reportsDir: options.reportsDir,
        indexDir: options.indexDir,
        embedder,
        lockWaitMs: 120_000,
        englishRanks: await englishRanks(options.modelCacheDir),
        store: options.store,
      },
      options.progressStream ?? process.stderr,
    );
    notice(formatBuildSummary(built));
  };
  if (options.rebuild === 'if-stale') {
    const reason = await staleReason(options.indexDir, options.reportsDir, embedder, options.store);
    if (reason) await rebuild(reason);
  }
  const load = async (): Promise<{ searcher: Searcher; buildDir: string }> => {
    const index = options.store ? await options.store.load() : await loadIndex(options.indexDir);
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

/** A loader for hot reloads: one build folder (or store build) → searcher with `embedder` (INDEX_MODEL_MISMATCH for another model's build). */
export function buildLoader(embedder: Embedder, store?: PgStore): (buildDir: string) => Promise<Searcher> {
  if (store) return async (ref) => createSearcher({ index: await store.load(ref.slice(pgBuildRef('').length)), embedder });
  return async (buildDir) => createSearcher({ index: await loadIndexFrom(buildDir), embedder });
}

/** How a live searcher follows the store: the live build's ref (the last known one while the database is down) and NOTIFY. */
function followStore(store: PgStore, initialRef: string): Pick<LiveSearcherOptions, 'resolveTarget' | 'subscribe'> {
  let known: string | null = initialRef;
  return {
    resolveTarget: async () => {
      try {
        const id = await store.liveBuildId();
        known = id === null ? null : pgBuildRef(id);
      } catch {
        // The database is down: keep serving the build in memory; the next check tries again.
      }
      return known;
    },
    subscribe: (trigger) => {
      const stopping = store.watch(() => trigger()).catch(() => null);
      return () => void stopping.then((stop) => stop?.());
    },
  };
}

/** Wraps an opened searcher in a live searcher that follows new builds published in `indexDir`. */
export function openLiveSearcher(
  opened: OpenedSearcher,
  options: { indexDir: string; store?: PgStore } & Pick<LiveSearcherOptions, 'pollMs' | 'onReload' | 'onReloadError'>,
): LiveSearcher {
  const { store, ...rest } = options;
  return createLiveSearcher({
    ...rest,
    ...(store ? followStore(store, opened.buildDir) : {}),
    initial: opened.searcher,
    initialBuildDir: opened.buildDir,
    load: buildLoader(opened.embedder, store),
  });
}

/**
 * Rebuilds the index from the reports folder and switches `live` to the new build. Fails at once
 * with INDEX_LOCKED when another build holds the lock, and with the load error when the new build
 * cannot be switched to (the previous index keeps serving).
 */
export async function reindexLive(
  live: LiveSearcher,
  options: { reportsDir: string; indexDir: string; embedder: Embedder; englishRanks?: EnglishRanks; store?: PgStore },
  onProgress: (progress: BuildProgress) => void,
): Promise<BuildSummary> {
  const { store, ...buildOptions } = options;
  const summary = await (store ? store.build({ ...buildOptions, onProgress }) : buildIndex({ ...buildOptions, onProgress }));
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
  store?: PgStore,
): Promise<OpenedSearcher> {
  const index = store ? await store.load() : await loadIndex(indexDir);
  const embedder = await createEmbedder({ model: index.manifest.model.id, cacheDir: modelCacheDir, allowFallback: false, onNotice });
  return { searcher: createSearcher({ index, embedder }), embedder, buildDir: index.dir, built: null };
}
