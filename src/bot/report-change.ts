/**
 * Changes to the reports folder made from the bot (uploads, removals) and the rebuild that
 * publishes them, run as one queued step: a failed rebuild undoes the change.
 */
import { describeError } from '../errors';
import type { Logger } from '../logger';
import type { Searcher } from '../search/types';
import type { BuildQueue } from './build-queue';
import type { DownloadFile } from './download-file';
import type { Reindex, ReindexSummary } from './features/admin';

/** What adding and removing reports needs from the rest of the app. */
export interface ReportChangeDeps {
  searcher: Searcher;
  adminUserIds: ReadonlySet<number>;
  /** The reports folder of record; absent, reports cannot be added or removed here. */
  reportsDir?: string;
  /** Rebuilds the index and switches to it (not queued: the feature queues folder change and rebuild together). */
  reindex?: Reindex;
  queue: BuildQueue;
  download: DownloadFile;
  editIntervalMs?: number;
}

/** Runs a change to the reports folder and the rebuild after it as one queued step; undoes the change if the rebuild fails or `refusalOf` finds a reason in its summary. */
export async function changeAndRebuild(
  deps: Pick<ReportChangeDeps, 'queue'> & { reindex: Reindex },
  change: () => Promise<{ undo(): Promise<void>; commit(): Promise<void> }>,
  onProgress: Parameters<Reindex>[0],
  refusalOf: (summary: ReindexSummary) => string | null,
  log: Logger,
): Promise<{ ok: true; summary: ReindexSummary } | { ok: false; reason: string }> {
  return deps.queue.run(async () => {
    let made;
    try {
      made = await change();
    } catch (err) {
      return { ok: false as const, reason: describeError(err) };
    }
    let summary;
    try {
      summary = await deps.reindex(onProgress);
    } catch (err) {
      await made.undo();
      log.warn({ err }, 'rebuild after a reports-folder change failed; change undone');
      return { ok: false as const, reason: describeError(err) };
    }
    const refusal = refusalOf(summary);
    if (refusal !== null) {
      await made.undo();
      // The published build reflects the change; rebuild so the index matches the folder again.
      await deps.reindex(() => {}).catch((err: unknown) => log.error({ err }, 'could not rebuild after undoing a change'));
      return { ok: false as const, reason: refusal };
    }
    await made.commit();
    return { ok: true as const, summary };
  });
}

