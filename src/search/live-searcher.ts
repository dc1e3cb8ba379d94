/**
 * A Searcher whose index can be replaced while the process runs. It watches the index folder's
 * `current` link and, when it points at another build, loads that build completely and only then
 * swaps it in. Every call takes the current searcher first, so a search in flight finishes on the
 * index it started on; a build that fails to load is reported and the old index keeps serving.
 */
import { watch, type FSWatcher } from 'node:fs';
import { IndexError } from '../errors';
import { CURRENT_LINK, resolveLiveDir } from '../store/layout';
import type { IndexStats, PassageContext, ReportSummary, SearchHit, SearchOptions, SearchResult, Searcher } from './types';

/** Checks the `current` link this often; fs.watch usually notices a swap sooner, this is the fallback. */
export const DEFAULT_RELOAD_POLL_MS = 1500;

/** A completed swap to a new build. */
export interface ReloadInfo {
  /** The build folder now serving. */
  buildDir: string;
  /** The build folder that served before. */
  previousBuildDir: string;
  stats: IndexStats;
  /** How long loading the new build took. */
  ms: number;
  /**
   * What started the check that found the build: `notification` (the subscription: NOTIFY for the
   * Postgres store, fs.watch for a folder) or `poll` (the timer). Absent for reloadNow.
   */
  via?: ReloadTrigger;
}

/** What starts a background check. */
export type ReloadTrigger = 'notification' | 'poll';

/** What one check of the `current` link did. */
export type ReloadOutcome =
  | { status: 'reloaded'; info: ReloadInfo }
  /** `current` already pointed at the serving build. */
  | { status: 'unchanged'; buildDir: string }
  /** The build `current` points at could not be loaded (`buildDir` null: the link is gone); the old index still serves. */
  | { status: 'failed'; buildDir: string | null; error: unknown };

export interface LiveSearcherOptions {
  /** The searcher over `initialBuildDir`, already loaded. */
  initial: Searcher;
  initialBuildDir: string;
  /** The index folder holding the `current` link. */
  indexDir: string;
  /** Loads one build folder into a ready searcher; throws when the build is unusable. */
  load: (buildDir: string) => Promise<Searcher>;
  /** Interval of the link check; 0 disables polling and watching (reloads only by reloadNow). */
  pollMs?: number;
  /** Called after a background check swapped in a new index. */
  onReload?: (info: ReloadInfo) => void;
  /** Called once per unusable build found by a background check. */
  onReloadError?: (error: unknown, buildDir: string | null) => void;
  /** Where the live build is now (default: the `current` link of indexDir). */
  resolveTarget?: () => Promise<string | null>;
  /** Calls `trigger` when the live build may have changed; returns a stop function (default: watches indexDir). */
  subscribe?: (trigger: () => void) => () => void;
}

export interface LiveSearcher extends Searcher {
  /**
   * Checks the `current` link now and swaps to the build it points at. Waits for a check already
   * running. Unlike background checks it retries a build that failed before and calls no hooks:
   * the outcome is returned.
   */
  reloadNow(): Promise<ReloadOutcome>;
  /** The searcher serving right now (its own snapshot, if it has one). */
  snapshot(): Searcher;
  /** The searcher serving right now. */
  current(): Searcher;
  /** The build folder serving right now. */
  currentBuildDir(): string;
  /** Stops watching; waits for a check in progress. The current index keeps serving calls. */
  close(): Promise<void>;
}

/** Creates a live searcher and starts watching `indexDir` (unless pollMs is 0). */
export function createLiveSearcher(options: LiveSearcherOptions): LiveSearcher {
  const resolveTarget = options.resolveTarget ?? (() => resolveLiveDir(options.indexDir));
  let active = { searcher: options.initial, buildDir: options.initialBuildDir };
  /** Builds (or a missing link, as null) that failed in a background check; not retried until `current` changes. */
  let failed: { buildDir: string | null } | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let checking = false;
  /** The first trigger that arrived during a check, which may have read the link just before it changed. */
  let recheck: ReloadTrigger | null = null;
  let closed = false;

  /** Null when a background check skips a build that already failed. */
  async function check(background: boolean, via?: ReloadTrigger): Promise<ReloadOutcome | null> {
    const target = await resolveTarget();
    if (target === active.buildDir) {
      failed = null;
      return { status: 'unchanged', buildDir: target };
    }
    if (background && failed !== null && failed.buildDir === target) return null;
    const started = performance.now();
    try {
      if (target === null) {
        throw new IndexError('INDEX_MISSING', `The index link ${CURRENT_LINK} in ${options.indexDir} is gone.`, {
          hint: 'Publish a build with: npm run build-index',
        });
      }
      const searcher = await options.load(target);
      const previousBuildDir = active.buildDir;
      active = { searcher, buildDir: target };
      failed = null;
      const info: ReloadInfo = { buildDir: target, previousBuildDir, stats: searcher.stats(), ms: Math.round(performance.now() - started) };
      if (via !== undefined) info.via = via;
      return { status: 'reloaded', info };
    } catch (error) {
      failed = { buildDir: target };
      return { status: 'failed', buildDir: target, error };
    }
  }

  function enqueue(background: boolean, via?: ReloadTrigger): Promise<ReloadOutcome | null> {
    const run = queue.then(() => check(background, via));
    queue = run.catch(() => undefined);
    return run;
  }

  function backgroundCheck(via: ReloadTrigger): void {
    if (closed) return;
    if (checking) {
      recheck = recheck ?? via;
      return;
    }
    checking = true;
    recheck = null;
    enqueue(true, via)
      .then((outcome) => {
        if (outcome?.status === 'reloaded') options.onReload?.(outcome.info);
        else if (outcome?.status === 'failed') options.onReloadError?.(outcome.error, outcome.buildDir);
      })
      .catch((error: unknown) => options.onReloadError?.(error, null))
      .finally(() => {
        checking = false;
        if (recheck !== null) backgroundCheck(recheck);
      });
  }

  const pollMs = options.pollMs ?? DEFAULT_RELOAD_POLL_MS;
  let timer: NodeJS.Timeout | null = null;
  let unsubscribe: (() => void) | null = null;
  if (pollMs > 0) {
    timer = setInterval(() => backgroundCheck('poll'), pollMs);
    timer.unref();
    unsubscribe = (options.subscribe ?? ((trigger) => watchLink(options.indexDir, trigger)))(() => backgroundCheck('notification'));
  }

  return {
    search: (question: string, searchOptions?: SearchOptions): Promise<SearchResult> => active.searcher.search(question, searchOptions),
    context: (passageId: string): PassageContext | null => active.searcher.context(passageId),
    reports: (): ReportSummary[] => active.searcher.reports(),
    topics: (): string[] => active.searcher.topics(),
    keyPassages: (source: string, k: number): SearchHit[] => active.searcher.keyPassages(source, k),
    stats: (): IndexStats => active.searcher.stats(),
    snapshot: (): Searcher => active.searcher.snapshot?.() ?? active.searcher,
    current: () => active.searcher,
    currentBuildDir: () => active.buildDir,
    reloadNow: async () => (await enqueue(false)) ?? { status: 'unchanged', buildDir: active.buildDir },
    async close() {
      closed = true;
      if (timer !== null) clearInterval(timer);
      unsubscribe?.();
      await queue;
    },
  };
}

/** Calls `trigger` when the `current` link of `indexDir` may have changed (fs.watch; polling covers its gaps). */
function watchLink(indexDir: string, trigger: () => void): () => void {
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(indexDir, { persistent: false }, (_event, name) => {
      if (name === null || name === CURRENT_LINK) trigger();
    });
    watcher.on('error', () => {
      watcher?.close();
      watcher = null;
    });
  } catch {
    watcher = null;
  }
  return () => watcher?.close();
}
