/**
 * Error boundary around all features: logs the failure on the update's logger and tells the user
 * a short message chosen by the error code. It never rethrows, so one failing update never stops
 * polling.
 */
import { GrammyError, type BotError } from 'grammy';
import { AppError } from '../../errors';
import type { BotContext } from '../context';
import { userMessageFor } from '../error-messages';

export async function handleUpdateError(error: BotError<BotContext>): Promise<void> {
  const ctx = error.ctx;
  const cause = error.error;
  const log = ctx.log;
  const code = cause instanceof AppError ? cause.code : cause instanceof GrammyError ? cause.error_code : undefined;
  log.error({ err: cause, code }, 'update failed');
  // Telegram refused to deliver to this chat (blocked, kicked): another message would fail too.
  if (cause instanceof GrammyError && cause.error_code === 403) return;
  const message = userMessageFor(cause, ctx.t);
  try {
    if (ctx.inlineQuery) await ctx.answerInlineQuery([], { cache_time: 0, is_personal: true });
    // Buttons are answered before the work starts, so a failure there is reported in the chat.
    else if (ctx.callbackQuery && ctx.chat) await ctx.reply(message);
    else if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: message });
    else if (ctx.chat && ctx.msg) {
      await ctx.reply(message, { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } });
    }
  } catch (err) {
    log.warn({ err }, 'could not tell the user about the failure');
  }
}
