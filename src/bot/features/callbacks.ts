/**
 * Inline buttons under answers. "More results" recovers the question from the message the answer
 * replies to and searches the next page; "Context N" shows the paragraphs around a passage. Buttons
 * this version cannot decode, or whose passage is gone, say politely that they expired.
 */
import { Composer, type MiddlewareFn } from 'grammy';
import { composeContext, reportNumbers } from '../../answer/answer';
import { answerQuestion, type AnswerDeps } from '../answer-flow';
import { decodeCallback } from '../callback-data';
import type { BotContext } from '../context';
import { extractQuestion } from '../question-text';
import { replyBlocks } from '../send';

export const BUTTON_EXPIRED = 'This button has expired. Please ask your question again.';
export const PASSAGE_GONE = 'That passage is no longer in the index. Please ask again for fresh results.';

export function callbacksFeature(deps: AnswerDeps, rateLimit: MiddlewareFn<BotContext>): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('callback_query:data', rateLimit, async (ctx) => {
    const action = decodeCallback(ctx.callbackQuery.data);
    const message = ctx.callbackQuery.message;
    if (action === null || message === undefined || ctx.chat === undefined) {
      await ctx.answerCallbackQuery({ text: BUTTON_EXPIRED });
      return;
    }
    if (action.kind === 'context') {
      const searcher = deps.searcher.snapshot();
      const context = searcher.context(action.passageId);
      if (context === null) {
        await ctx.answerCallbackQuery({ text: PASSAGE_GONE });
        return;
      }
      await ctx.answerCallbackQuery();
      await replyBlocks(ctx, composeContext(context, reportNumbers(searcher)), { replyTo: message.message_id });
      return;
    }
    const asked = 'reply_to_message' in message ? message.reply_to_message : undefined;
    const question = asked === undefined ? '' : extractQuestion(asked, ctx.me);
    if (asked === undefined || question === '') {
      await ctx.answerCallbackQuery({ text: BUTTON_EXPIRED });
      return;
    }
    await ctx.answerCallbackQuery();
    await answerQuestion(ctx, deps, question, asked.message_id, action.offset);
  });
  return composer;
}
