/**
 * Admins add reports by sending a document (PDF, DOCX, HTML, Markdown or text) in a private chat:
 * the bot downloads it (getFile, 20 MB at most), reads it with the reader for its type before
 * anything changes, saves it atomically under a safe name (asking before it replaces a file of the
 * same name), then rebuilds the index and switches to it, showing progress in one message. A file
 * that cannot be read, or a rebuild that fails, leaves the reports folder and the index as they were.
 * Everyone else gets a polite note that only admins can add reports.
 */
import { randomBytes } from 'node:crypto';
import { Composer } from 'grammy';
import type { Document } from 'grammy/types';
import { link, strong, text, type Block } from '../../answer/document';
import { formatDate, shortTitle } from '../../answer/source-label';
import { ReportFileError } from '../../errors';
import { extractReport, MAX_REPORT_BYTES, sizeProblem, typeProblem } from '../../ingest/formats';
import { discardStaged, placeReport, reportExists, safeReportName, stageReport, type StagedReport } from '../../ingest/report-files';
import type { Translate } from '../../i18n/words';
import type { ReportSummary } from '../../search/types';
import type { BotContext } from '../context';
import { changeAndRebuild, type ReportChangeDeps } from '../report-change';
import { replyBlocks } from '../send';
import { isAdmin, progressBlocks, throttledEditor } from './admin';

/** How long a "replace it?" question waits for an answer before the staged file is dropped. */
const PENDING_TTL_MS = 30 * 60 * 1000;
// Telegram allows about one edit per second per chat before answering 429.
const DEFAULT_EDIT_INTERVAL_MS = 1000;
const CALLBACK = /^upl:([0-9a-f]{12}):(replace|keep)$/;

interface Pending {
  staged: StagedReport;
  userId: number;
  timer: NodeJS.Timeout;
}

/** Why the upload was refused, as the reply says it. */
export function notAddedBlocks(name: string, reason: string, t: Translate): Block[] {
  return [text(strong(t('upload-not-added')), ` ${name}: ${reason.replace(/\.$/, '')}.`), text(t('report-change-unchanged'))];
}

function reportLine(r: ReportSummary, t: Translate): Array<string | ReturnType<typeof link>> {
  return [
    link(shortTitle(r.title), r.url),
    ` · ${r.date === null ? t('sources-no-date') : formatDate(r.date)} · ${t('sources-passages', { passages: r.passages })} · ${t('sources-report', { number: r.label })} (${r.source})`,
  ];
}

/** The reply once the report is in the index. */
export function addedBlocks(report: ReportSummary, alsoSkipped: ReadonlyArray<{ path: string; reason: string }>, t: Translate): Block[] {
  const blocks: Block[] = [text(strong(t('upload-added')), ' ', ...reportLine(report, t)), text(t('report-change-done'))];
  for (const s of alsoSkipped) blocks.push(text(t('upload-also-dropped', { file: s.path, reason: s.reason })));
  return blocks;
}

export function uploadFeature(deps: ReportChangeDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pending = new Map<string, Pending>();
  const intervalMs = deps.editIntervalMs ?? DEFAULT_EDIT_INTERVAL_MS;

  /** Places the staged file, rebuilds, and turns message `messageId` into the progress and then the result. */
  function add(ctx: BotContext, staged: StagedReport, replace: boolean, chatId: number, messageId: number): void {
    const reindex = deps.reindex;
    if (reindex === undefined) return;
    const log = ctx.log;
    const t = ctx.t;
    const heading = t('upload-adding', { file: staged.name });
    const editor = throttledEditor(ctx.api, chatId, messageId, intervalMs, log);
    // A new upload's message already shows this; a replace question is turned into it.
    if (replace) editor.update(progressBlocks(null, t, heading));
    else editor.shown(progressBlocks(null, t, heading));
    void changeAndRebuild(
      { queue: deps.queue, reindex },
      () => placeReport(staged, replace),
      (p) => editor.update(progressBlocks(p, t, heading)),
      (summary) => summary.skipped.find((s) => s.path === staged.name)?.reason ?? null,
      log,
    )
      .then(async (outcome) => {
        if (!outcome.ok) {
          await discardStaged(staged);
          log.info({ file: staged.name, reason: outcome.reason }, 'upload not added');
          await editor.finish(notAddedBlocks(staged.name, outcome.reason, t));
          return;
        }
        const report = deps.searcher.reports().find((r) => r.source === staged.name);
        const alsoSkipped = outcome.summary.skipped.filter((s) => s.reason.includes(`same report as ${staged.name}`));
        log.info({ file: staged.name, passages: report?.passages, build_id: outcome.summary.buildId }, 'report added');
        await editor.finish(report === undefined ? [text(strong(t('upload-added')), ` ${staged.name}.`)] : addedBlocks(report, alsoSkipped, t));
      })
      .catch((err: unknown) => log.error({ err }, 'upload reporting failed'));
  }

  composer.chatType('private').on('message:document', async (ctx) => {
    const replyTo = ctx.msg.message_id;
    if (!isAdmin(ctx, deps.adminUserIds)) {
      ctx.log.info('upload refused: not an admin');
      await replyBlocks(ctx, [text(ctx.t('upload-admins-only'))], { replyTo });
      return;
    }
    const reportsDir = deps.reportsDir;
    if (reportsDir === undefined || deps.reindex === undefined) {
      await replyBlocks(ctx, [text(ctx.t('upload-unavailable'))], { replyTo });
      return;
    }
    const doc: Document = ctx.msg.document;
    const name = safeReportName(doc.file_name, doc.mime_type, `upload-${doc.file_unique_id}`);
    const early = typeProblem(name) ?? (doc.file_size === undefined ? null : sizeProblem(doc.file_size));
    if (early !== null) {
      await replyBlocks(ctx, notAddedBlocks(name, early, ctx.t), { replyTo });
      return;
    }
    let bytes: Buffer;
    try {
      const file = await ctx.getFile();
      if (file.file_path === undefined) throw new ReportFileError('Telegram did not give a download path for it');
      bytes = await deps.download(file.file_path, MAX_REPORT_BYTES);
      // Read it with its reader now: a file that cannot be indexed never reaches the folder.
      await extractReport(bytes, name);
    } catch (err) {
      if (!(err instanceof ReportFileError)) throw err;
      ctx.log.info({ file: name, reason: err.message }, 'upload refused');
      await replyBlocks(ctx, notAddedBlocks(name, err.message, ctx.t), { replyTo });
      return;
    }
    const staged = await stageReport(reportsDir, name, bytes);
    if (await reportExists(reportsDir, name)) {
      const id = randomBytes(6).toString('hex');
      const timer = setTimeout(() => {
        pending.delete(id);
        void discardStaged(staged);
      }, PENDING_TTL_MS);
      timer.unref();
      pending.set(id, { staged, userId: ctx.from.id, timer });
      const existing = deps.searcher.reports().find((r) => r.source === name);
      await replyBlocks(
        ctx,
        [text(ctx.t('upload-exists', { file: name }), ...(existing ? [' (', ...reportLine(existing, ctx.t), ')'] : []), '. ', ctx.t('upload-replace-question'))],
        {
          replyTo,
          keyboard: {
            inline_keyboard: [
              [
                { text: ctx.t('upload-button-replace'), callback_data: `upl:${id}:replace` },
                { text: ctx.t('upload-button-keep'), callback_data: `upl:${id}:keep` },
              ],
            ],
          },
        },
      );
      return;
    }
    const [progress] = await replyBlocks(ctx, progressBlocks(null, ctx.t, ctx.t('upload-adding', { file: name })), { replyTo });
    if (progress === undefined) throw new Error('the progress message was not sent');
    add(ctx, staged, false, progress.chat.id, progress.message_id);
  });

  composer.callbackQuery(CALLBACK, async (ctx) => {
    const [, id = '', choice] = ctx.match;
    const entry = pending.get(id);
    const message = ctx.callbackQuery.message;
    if (entry === undefined || message === undefined || entry.userId !== ctx.from.id) {
      await ctx.answerCallbackQuery({ text: ctx.t('upload-expired') });
      return;
    }
    pending.delete(id);
    clearTimeout(entry.timer);
    await ctx.answerCallbackQuery();
    if (choice === 'keep') {
      await discardStaged(entry.staged);
      await ctx.editMessageText(ctx.t('upload-kept-old', { file: entry.staged.name }));
      return;
    }
    add(ctx, entry.staged, true, message.chat.id, message.message_id);
  });

  return composer;
}
