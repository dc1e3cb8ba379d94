/**
 * Inline buttons under answers. "More results" recovers the question from the message the answer
 * replies to and searches the next page; "Context N" shows the paragraphs around a passage. Buttons
 * this version cannot decode, whose passage is gone, or that carry no data at all are answered with
 * a short note, so the client never keeps spinning.
 */
import { Composer, type MiddlewareFn } from 'grammy';
import { composeContext, reportNumbers } from '../../answer/answer';
import { answerQuestion, type AnswerDeps } from '../answer-flow';
import { decodeCallback } from '../callback-data';
import type { BotContext } from '../context';
import { extractQuestion } from '../question-text';
import { replyBlocks } from '../send';

export function callbacksFeature(deps: AnswerDeps, rateLimit: MiddlewareFn<BotContext>): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('callback_query:data', rateLimit, async (ctx) => {
    const action = decodeCallback(ctx.callbackQuery.data);
    const message = ctx.callbackQuery.message;
    if (action === null || message === undefined || ctx.chat === undefined) {
      await ctx.answerCallbackQuery({ text: ctx.t('button-expired') });
      return;
    }
    if (action.kind === 'context') {
      const searcher = deps.searcher.snapshot();
      const context = searcher.context(action.passageId);
      if (context === null) {
        await ctx.answerCallbackQuery({ text: ctx.t('button-passage-gone') });
        return;
      }
      await ctx.answerCallbackQuery();
      await replyBlocks(ctx, composeContext(context, reportNumbers(searcher), ctx.t), { replyTo: message.message_id });
      return;
    }
    const asked = 'reply_to_message' in message ? message.reply_to_message : undefined;
    const question = asked === undefined ? '' : extractQuestion(asked, ctx.me);
    if (asked === undefined || question === '') {
      await ctx.answerCallbackQuery({ text: ctx.t('button-expired') });
      return;
    }
    await ctx.answerCallbackQuery();
    await answerQuestion(ctx, deps, question, asked.message_id, action.offset);
  });
  // Game buttons and other presses without data: nothing to do, but the client waits for an answer.
  composer.on('callback_query', async (ctx) => {
    await ctx.answerCallbackQuery({ text: ctx.t('button-expired') });
  });
  return composer;
}
