/**
 * Admin tools. /reindex rebuilds the index from the reports folder in the background and shows its
 * progress by editing one message, ending with the build summary. Only admins may run it, one at a
 * time. Also the notice admins get when a new index could not be loaded.
 */
import { Composer, type Api } from 'grammy';
import { strong, text, type Block } from '../../answer/document';
import { AppError, describeError } from '../../errors';
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

export const REINDEX_REFUSAL = "Sorry, only the bot's admins can rebuild the index.";
export const REINDEX_UNAVAILABLE = 'Rebuilding the index is not available in this bot.';
export const REINDEX_RUNNING = 'A reindex is already running. Its progress message above shows how far it is.';
// Telegram allows about one edit per second per chat before answering 429.
const DEFAULT_EDIT_INTERVAL_MS = 1000;
// Skipped files listed in the summary; the rest are counted, so the summary stays one short message.
const MAX_SKIPPED_LISTED = 10;

const PHASE_LABEL: Record<ReindexPhase, string> = {
  read: 'Reading reports',
  embed: 'Embedding passages',
  index: 'Indexing vectors',
  write: 'Writing and checking the index',
};

function isAdmin(ctx: BotContext, adminUserIds: ReadonlySet<number>): boolean {
  return ctx.from !== undefined && adminUserIds.has(ctx.from.id);
}

/** The progress message for one build step. */
export function progressBlocks(progress: ReindexProgress | null): Block[] {
  if (progress === null) return [text(strong('Reindexing…'), '\nStarting the build.')];
  const percent = progress.total > 0 ? Math.round((Math.min(progress.done, progress.total) / progress.total) * 100) : 100;
  return [text(strong('Reindexing…'), `\n${PHASE_LABEL[progress.phase]}: ${progress.done}/${progress.total} (${percent}%)`)];
}

/** The final edit after a successful rebuild. */
export function summaryBlocks(s: ReindexSummary): Block[] {
  const lines = [
    `Reports: ${s.reports}`,
    `Passages: ${s.passages} (duplicates removed: ${s.duplicatesRemoved})`,
    `Vectors reused: ${s.reused}, embedded: ${s.embedded}, removed: ${s.removed}`,
    `Took ${s.seconds.toFixed(1)} s. Build: ${s.buildId}`,
  ];
  const blocks = [text(strong('Reindex done.'), ' Answers now come from the new index.'), text(lines.join('\n'))];
  if (s.skipped.length > 0) {
    const listed = s.skipped.slice(0, MAX_SKIPPED_LISTED).map((f) => `• ${f.path}: ${f.reason}`);
    const more = s.skipped.length - listed.length;
    blocks.push(text(`Skipped ${s.skipped.length} file(s):\n${listed.join('\n')}${more > 0 ? `\n…and ${more} more` : ''}`));
  }
  return blocks;
}

/** The final edit after a failed rebuild. */
export function reindexFailedBlocks(err: unknown, servingBuildId: string): Block[] {
  if (err instanceof AppError && err.code === 'INDEX_LOCKED') {
    return [
      text(strong('Reindex not started:'), ' another build is writing the index right now (for example npm run build-index).'),
      text(`Try /reindex again when it has finished. Still answering from build ${servingBuildId}.`),
    ];
  }
  return [text(strong('Reindex failed:'), ` ${describeError(err)}`), text(`Still answering from build ${servingBuildId}.`)];
}

/** The notice admins get when a newly published index could not be loaded. */
export function reloadFailedBlocks(err: unknown, servingBuildId: string): Block[] {
  return [
    text(strong('A new index could not be loaded.')),
    text(describeError(err)),
    text(`I keep answering from build ${servingBuildId}.`),
  ];
}

/** Sends `blocks` to every admin's private chat (chat id = user id); failures are logged, never thrown. */
export async function notifyAdmins(api: Api, adminUserIds: ReadonlySet<number>, blocks: readonly Block[], logger: Logger): Promise<void> {
  await Promise.all(
    [...adminUserIds].map((id) =>
      sendBlocksTo(api, id, blocks).catch((err: unknown) => logger.warn({ err, admin_id: id }, 'could not notify an admin')),
    ),
  );
}

/**
 * Edits one message at most every `intervalMs`, always showing the latest blocks; progress in
 * between is skipped. `finish` waits for the gap, then makes the last edit (or sends it if the edit fails).
 */
function throttledEditor(
  api: Api,
  chatId: number,
  messageId: number,
  intervalMs: number,
  log: Logger,
): { shown(blocks: readonly Block[]): void; update(blocks: readonly Block[]): void; finish(blocks: readonly Block[]): Promise<void> } {
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
      await replyBlocks(ctx, [text(REINDEX_REFUSAL)], { replyTo: ctx.msg.message_id });
      return;
    }
    const reindex = deps.reindex;
    if (reindex === undefined) {
      await replyBlocks(ctx, [text(REINDEX_UNAVAILABLE)], { replyTo: ctx.msg.message_id });
      return;
    }
    if (running) {
      await replyBlocks(ctx, [text(REINDEX_RUNNING)], { replyTo: ctx.msg.message_id });
      return;
    }
    running = true;
    const log = ctx.log;
    try {
      const initial = progressBlocks(null);
      const [message] = await replyBlocks(ctx, initial, { replyTo: ctx.msg.message_id });
      if (message === undefined) throw new Error('the progress message was not sent');
      const editor = throttledEditor(ctx.api, message.chat.id, message.message_id, intervalMs, log);
      editor.shown(initial);
      log.info('reindex started');
      // Not awaited: the chat stays responsive (updates are sequential per chat) while the build runs.
      void reindex((p) => editor.update(progressBlocks(p)))
        .then(
          async (summary) => {
            log.info({ build_id: summary.buildId, passages: summary.passages, seconds: summary.seconds }, 'reindex done');
            await editor.finish(summaryBlocks(summary));
          },
          async (err: unknown) => {
            log.error({ err, code: err instanceof AppError ? err.code : undefined }, 'reindex failed');
            await editor.finish(reindexFailedBlocks(err, deps.searcher.stats().buildId));
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
