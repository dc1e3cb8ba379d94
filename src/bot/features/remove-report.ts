/**
 * Admins remove reports from /sources: in a private chat their /sources carries a "Remove" button
 * per report; each asks for confirmation, then the file (and its sidecar) leaves the reports folder
 * and the index is rebuilt, with progress in one message. If the rebuild fails the file comes back.
 */
import { Composer } from 'grammy';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import { newestFirst, sourcesBlocks } from '../../answer/info';
import { strong, text } from '../../answer/document';
import { shortTitle } from '../../answer/source-label';
import { pathKey } from '../../ingest/report-label';
import { removeReportFile } from '../../ingest/report-files';
import type { Translate } from '../../i18n/words';
import type { ReportSummary } from '../../search/types';
import type { BotContext } from '../context';
import { changeAndRebuild, type ReportChangeDeps } from '../report-change';
import { replyBlocks } from '../send';
import { isAdmin, progressBlocks, throttledEditor } from './admin';

/** Remove buttons per keyboard page: 8 rows of 3 stay usable on a phone; Telegram allows 100. */
const PAGE_SIZE = 24;
const COLUMNS = 3;
const DEFAULT_EDIT_INTERVAL_MS = 1000;
const CALLBACK = /^rm:(page|ask|yes|no):([0-9a-f]{10}|\d{1,4})?$/;

/** The remove buttons for one page of reports (newest first), with paging buttons when needed. */
export function removeKeyboard(reports: readonly ReportSummary[], page: number, t: Translate): InlineKeyboardMarkup | null {
  const ordered = newestFirst(reports);
  const pages = Math.ceil(ordered.length / PAGE_SIZE);
  if (pages === 0) return null;
  const current = Math.min(Math.max(0, page), pages - 1);
  const rows: InlineKeyboardButton[][] = [];
  ordered.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE).forEach((r, i) => {
    if (i % COLUMNS === 0) rows.push([]);
    rows[rows.length - 1]!.push({ text: t('remove-button', { number: r.label }), callback_data: `rm:ask:${pathKey(r.source)}` });
  });
  const nav: InlineKeyboardButton[] = [];
  if (current > 0) nav.push({ text: t('remove-newer'), callback_data: `rm:page:${current - 1}` });
  if (current < pages - 1) nav.push({ text: t('remove-older'), callback_data: `rm:page:${current + 1}` });
  if (nav.length > 0) rows.push(nav);
  return { inline_keyboard: rows };
}

export function removeReportFeature(deps: ReportChangeDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const intervalMs = deps.editIntervalMs ?? DEFAULT_EDIT_INTERVAL_MS;
  const available = (): boolean => deps.reportsDir !== undefined && deps.reindex !== undefined;
  const byKey = (key: string): ReportSummary | undefined => deps.searcher.reports().find((r) => pathKey(r.source) === key);

  composer.command('sources', async (ctx, next) => {
    if (ctx.chat.type !== 'private' || !isAdmin(ctx, deps.adminUserIds) || !available()) return next();
    await replyBlocks(ctx, sourcesBlocks(deps.searcher, ctx.t), { keyboard: removeKeyboard(deps.searcher.reports(), 0, ctx.t) });
  });

  composer.callbackQuery(CALLBACK, async (ctx) => {
    const [, action, arg = ''] = ctx.match;
    if (!isAdmin(ctx, deps.adminUserIds) || !available()) {
      await ctx.answerCallbackQuery({ text: ctx.t('remove-admins-only') });
      return;
    }
    const message = ctx.callbackQuery.message;
    if (action === 'page') {
      await ctx.answerCallbackQuery();
      await ctx.editMessageReplyMarkup({ reply_markup: removeKeyboard(deps.searcher.reports(), Number(arg), ctx.t) ?? { inline_keyboard: [] } });
      return;
    }
    if (action === 'no') {
      await ctx.answerCallbackQuery();
      await ctx.editMessageText(ctx.t('remove-cancelled'));
      return;
    }
    const report = byKey(arg);
    if (report === undefined || message === undefined) {
      await ctx.answerCallbackQuery({ text: ctx.t('remove-gone') });
      return;
    }
    await ctx.answerCallbackQuery();
    const t = ctx.t;
    const name = `${t('sources-report', { number: report.label })} · ${shortTitle(report.title)} (${report.source})`;
    if (action === 'ask') {
      await replyBlocks(
        ctx,
        [text(strong(t('remove-confirm-title')), ` ${name}?`), text(t('remove-confirm-detail'))],
        {
          replyTo: message.message_id,
          keyboard: {
            inline_keyboard: [
              [
                { text: t('remove-button-yes'), callback_data: `rm:yes:${arg}` },
                { text: t('remove-button-cancel'), callback_data: 'rm:no:' },
              ],
            ],
          },
        },
      );
      return;
    }
    const reportsDir = deps.reportsDir;
    const reindex = deps.reindex;
    if (reportsDir === undefined || reindex === undefined) return;
    const log = ctx.log;
    const heading = t('remove-removing', { file: report.source });
    const editor = throttledEditor(ctx.api, message.chat.id, message.message_id, intervalMs, log);
    editor.update(progressBlocks(null, t, heading));
    void changeAndRebuild(
      { queue: deps.queue, reindex },
      () => removeReportFile(reportsDir, report.source),
      (p) => editor.update(progressBlocks(p, t, heading)),
      () => null,
      log,
    )
      .then(async (outcome) => {
        if (!outcome.ok) {
          log.info({ file: report.source, reason: outcome.reason }, 'report not removed');
          await editor.finish([text(strong(t('remove-not-removed')), ` ${name}: ${outcome.reason}`), text(t('report-change-unchanged'))]);
          return;
        }
        log.info({ file: report.source, build_id: outcome.summary.buildId }, 'report removed');
        const left = outcome.summary.reports;
        await editor.finish([text(strong(t('remove-removed')), ` ${name}.`), text(t('remove-left', { count: left }))]);
      })
      .catch((err: unknown) => log.error({ err }, 'removal reporting failed'));
  });
  return composer;
}
