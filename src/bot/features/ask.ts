/**
 * Questions: any text in private chats, `/ask <question>` anywhere, and in groups messages that
 * mention the bot or reply to one of its messages. Other group chatter is ignored.
 */
import { Composer, type MiddlewareFn } from 'grammy';
import { text } from '../../answer/document';
import { answerQuestion, type AnswerDeps } from '../answer-flow';
import type { BotContext } from '../context';
import { extractQuestion, mentionsMe } from '../question-text';
import { replyBlocks } from '../send';

export const UNKNOWN_COMMAND = "I don't know that command. Send /help to see what I can do.";

export function askFeature(deps: AnswerDeps, rateLimit: MiddlewareFn<BotContext>): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('ask', rateLimit, async (ctx) => {
    await answerQuestion(ctx, deps, ctx.match, ctx.msg.message_id);
  });

  const privateChats = composer.chatType('private');
  privateChats.on('message:text').filter(
    (ctx) => ctx.msg.entities?.some((e) => e.type === 'bot_command' && e.offset === 0) ?? false,
    async (ctx) => {
      await replyBlocks(ctx, [text(UNKNOWN_COMMAND)], { replyTo: ctx.msg.message_id });
    },
  );
  privateChats.on('message:text', rateLimit, async (ctx) => {
    await answerQuestion(ctx, deps, ctx.msg.text, ctx.msg.message_id);
  });

  const groups = composer.chatType(['group', 'supergroup']);
  groups.on('message:text').filter(
    (ctx) => ctx.msg.reply_to_message?.from?.id === ctx.me.id || mentionsMe(ctx.msg, ctx.me),
    rateLimit,
    async (ctx) => {
      await answerQuestion(ctx, deps, extractQuestion(ctx.msg, ctx.me), ctx.msg.message_id);
    },
  );

  return composer;
}
