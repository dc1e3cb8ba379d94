/**
 * Admin tools. /reindex rebuilds the index from the reports folder in the background and shows its
 * progress by editing one message, ending with the build summary. Only admins may run it, one at a
 * time. Also the notice admins get when a new index could not be loaded.
 */
import { Composer, type Api } from 'grammy';
import { strong, text, type Block } from '../../answer/document';
import { AppError, describeError } from '../../errors';
import type { Translate } from '../../i18n/words';
import type { Logger } from '../../logger';
import type { Searcher } from '../../search/types';
import type { BotContext } from '../context';
import { editBlocks, replyBlocks, sendBlocksTo } from '../send';

/** Build steps, in order (the store's build phases). */
export type ReindexPhase = 'read' | 'embed' | 'index' | 'write';

/** One progress report of a running rebuild. */
export interface ReindexProgress {
  phase: ReindexPhase;
  done: number;
  total: number;
}

/** What a finished rebuild reports (the store's BuildSummary has this shape). */
export interface ReindexSummary {
  buildId: string;
  reports: number;
  passages: number;
  duplicatesRemoved: number;
  reused: number;
  embedded: number;
  removed: number;
  seconds: number;
  skipped: ReadonlyArray<{ path: string; reason: string }>;
}

/** Rebuilds the index, reporting progress, and resolves once the bot answers from the new build. */
export type Reindex = (onProgress: (progress: ReindexProgress) => void) => Promise<ReindexSummary>;

/** What the admin commands need from the rest of the app. */
export interface AdminDeps {
  searcher: Searcher;
  adminUserIds: ReadonlySet<number>;
  /** Absent: /reindex is unavailable in this process. */
  reindex?: Reindex;
  /** Minimum gap between edits of the progress message. */
  editIntervalMs?: number;
}

// Telegram allows about one edit per second per chat before answering 429.
const DEFAULT_EDIT_INTERVAL_MS = 1000;
// Skipped files listed in the summary; the rest are counted, so the summary stays one short message.
const MAX_SKIPPED_LISTED = 10;


/** True when the update comes from one of the bot's admins. */
export function isAdmin(ctx: BotContext, adminUserIds: ReadonlySet<number>): boolean {
  return ctx.from !== undefined && adminUserIds.has(ctx.from.id);
}

/** The progress message for one build step, under `heading` (default: the reindex title). */
export function progressBlocks(progress: ReindexProgress | null, t: Translate, heading = t('reindex-title')): Block[] {
  if (progress === null) return [text(strong(heading), `
${t('reindex-starting')}`)];
  const percent = progress.total > 0 ? Math.round((Math.min(progress.done, progress.total) / progress.total) * 100) : 100;
  const phase = t(`reindex-phase-${progress.phase}`);
  return [text(strong(heading), `
${t('reindex-progress', { phase, done: progress.done, total: progress.total, percent })}`)];
}

/** The final edit after a successful rebuild. */
export function summaryBlocks(s: ReindexSummary, t: Translate): Block[] {
  const summary = t('reindex-summary', {
    reports: s.reports,
    passages: s.passages,
    duplicates: s.duplicatesRemoved,
    reused: s.reused,
    embedded: s.embedded,
    removed: s.removed,
    seconds: s.seconds.toFixed(1),
    buildId: s.buildId,
  });
  const blocks = [text(strong(t('reindex-done')), ` ${t('reindex-done-detail')}`), text(summary)];
  if (s.skipped.length > 0) {
    const listed = s.skipped.slice(0, MAX_SKIPPED_LISTED).map((f) => `• ${f.path}: ${f.reason}`);
    const more = s.skipped.length - listed.length;
    const tail = more > 0 ? `\n${t('reindex-skipped-more', { count: more })}` : '';
    blocks.push(text(`${t('reindex-skipped', { count: s.skipped.length })}\n${listed.join('\n')}${tail}`));
  }
  return blocks;
}

/** The final edit after a failed rebuild. */
export function reindexFailedBlocks(err: unknown, servingBuildId: string, t: Translate): Block[] {
  if (err instanceof AppError && err.code === 'INDEX_LOCKED') {
    return [
      text(strong(t('reindex-locked')), ` ${t('reindex-locked-detail')}`),
      text(t('reindex-locked-retry', { buildId: servingBuildId })),
    ];
  }
  return [text(strong(t('reindex-failed')), ` ${describeError(err)}`), text(t('reindex-still-serving', { buildId: servingBuildId }))];
}

/** The notice admins get when a newly published index could not be loaded (outside any update, so in `t`'s language). */
export function reloadFailedBlocks(err: unknown, servingBuildId: string, t: Translate): Block[] {
  return [text(strong(t('reload-failed'))), text(describeError(err)), text(t('reload-keeps-serving', { buildId: servingBuildId }))];
}

/** Sends `blocks` to every admin's private chat (chat id = user id); failures are logged, never thrown. */
export async function notifyAdmins(api: Api, adminUserIds: ReadonlySet<number>, blocks: readonly Block[], logger: Logger): Promise<void> {
  await Promise.all(
    [...adminUserIds].map((id) =>
      sendBlocksTo(api, id, blocks).catch((err: unknown) => logger.warn({ err, admin_id: id }, 'could not notify an admin')),
    ),
  );
}

/** A message that shows a rebuild's progress, edited at most every `intervalMs`. */
export interface ProgressMessage {
  shown(blocks: readonly Block[]): void;
  update(blocks: readonly Block[]): void;
  finish(blocks: readonly Block[]): Promise<void>;
}

/**
 * Edits one message at most every `intervalMs`, always showing the latest blocks; progress in
 * between is skipped. `finish` waits for the gap, then makes the last edit (or sends it if the edit fails).
 */
export function throttledEditor(
  api: Api,
  chatId: number,
  messageId: number,
  intervalMs: number,
  log: Logger,
): ProgressMessage {
  let shown = '';
  let lastAt = performance.now();
  let latest: readonly Block[] | null = null;
  let timer: NodeJS.Timeout | null = null;
  let chain: Promise<void> = Promise.resolve();
  let finished = false;

  const edit = (blocks: readonly Block[]): void => {
    const key = JSON.stringify(blocks);
    // Telegram rejects an edit that changes nothing.
    if (key === shown) return;
    shown = key;
    lastAt = performance.now();
    chain = chain
      .then(() => editBlocks(api, chatId, messageId, blocks))
      .catch((err: unknown) => log.warn({ err }, 'could not edit the reindex progress message'));
  };
  const flush = (): void => {
    timer = null;
    if (latest !== null && !finished) edit(latest);
    latest = null;
  };
  return {
    shown(blocks: readonly Block[]): void {
      shown = JSON.stringify(blocks);
    },
    update(blocks: readonly Block[]): void {
      if (finished) return;
      latest = blocks;
      if (timer !== null) return;
      const wait = lastAt + intervalMs - performance.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    },
    async finish(blocks: readonly Block[]): Promise<void> {
      finished = true;
      if (timer !== null) clearTimeout(timer);
      await chain;
      const wait = lastAt + intervalMs - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      try {
        await editBlocks(api, chatId, messageId, blocks);
      } catch (err) {
        log.warn({ err }, 'could not edit the reindex progress message; sending the result instead');
        await sendBlocksTo(api, chatId, blocks);
      }
    },
  };
}

/** /reindex for admins. */
export function adminFeature(deps: AdminDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const intervalMs = deps.editIntervalMs ?? DEFAULT_EDIT_INTERVAL_MS;
  let running = false;

  composer.command('reindex', async (ctx) => {
    if (!isAdmin(ctx, deps.adminUserIds)) {
      ctx.log.info('reindex refused: not an admin');
      await replyBlocks(ctx, [text(ctx.t('reindex-refused'))], { replyTo: ctx.msg.message_id });
      return;
    }
    const reindex = deps.reindex;
    if (reindex === undefined) {
      await replyBlocks(ctx, [text(ctx.t('reindex-unavailable'))], { replyTo: ctx.msg.message_id });
      return;
    }
    if (running) {
      await replyBlocks(ctx, [text(ctx.t('reindex-running'))], { replyTo: ctx.msg.message_id });
      return;
    }
    running = true;
    const log = ctx.log;
    // The build outlives this update; keep the admin's language for its later edits.
    const t: Translate = ctx.t;
    try {
      const initial = progressBlocks(null, t);
      const [message] = await replyBlocks(ctx, initial, { replyTo: ctx.msg.message_id });
      if (message === undefined) throw new Error('the progress message was not sent');
      const editor = throttledEditor(ctx.api, message.chat.id, message.message_id, intervalMs, log);
      editor.shown(initial);
      log.info('reindex started');
      // Not awaited: the chat stays responsive (updates are sequential per chat) while the build runs.
      void reindex((p) => editor.update(progressBlocks(p, t)))
        .then(
          async (summary) => {
            log.info({ build_id: summary.buildId, passages: summary.passages, seconds: summary.seconds }, 'reindex done');
            await editor.finish(summaryBlocks(summary, t));
          },
          async (err: unknown) => {
            log.error({ err, code: err instanceof AppError ? err.code : undefined }, 'reindex failed');
            await editor.finish(reindexFailedBlocks(err, deps.searcher.stats().buildId, t));
          },
        )
        .catch((err: unknown) => log.error({ err }, 'reindex reporting failed'))
        .finally(() => {
          running = false;
        });
    } catch (err) {
      running = false;
      throw err;
    }
  });
  return composer;
}
