/**
 * Questions: any text (or photo/file caption) in private chats, `/ask <question>` anywhere, and in
 * groups messages that mention the bot or reply to one of its messages. Other group chatter is ignored.
 */
import { Composer, type MiddlewareFn } from 'grammy';
import { text } from '../../answer/document';
import { answerQuestion, type AnswerDeps } from '../answer-flow';
import type { BotContext } from '../context';
import { extractQuestion, mentionsMe, startsWithCommand } from '../question-text';
import { replyBlocks } from '../send';

export function askFeature(deps: AnswerDeps, rateLimit: MiddlewareFn<BotContext>): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('ask', rateLimit, async (ctx) => {
    await answerQuestion(ctx, deps, ctx.match, ctx.msg.message_id);
  });
  // grammY's command() reads message text only: `/ask …` as a photo's or file's caption is matched here.
  composer.on('message:caption').filter(
    (ctx) => startsWithCommand(ctx.msg, 'ask', ctx.me),
    rateLimit,
    async (ctx) => {
      await answerQuestion(ctx, deps, extractQuestion(ctx.msg, ctx.me), ctx.msg.message_id);
    },
  );

  const privateChats = composer.chatType('private');
  privateChats.on(['message:text', 'message:caption']).filter(
    (ctx) => (ctx.msg.entities ?? ctx.msg.caption_entities)?.some((e) => e.type === 'bot_command' && e.offset === 0) ?? false,
    async (ctx) => {
      await replyBlocks(ctx, [text(ctx.t('unknown-command'))], { replyTo: ctx.msg.message_id });
    },
  );
  privateChats.on(['message:text', 'message:caption'], rateLimit, async (ctx) => {
    await answerQuestion(ctx, deps, ctx.msg.text ?? ctx.msg.caption ?? '', ctx.msg.message_id);
  });

  const groups = composer.chatType(['group', 'supergroup']);
  groups.on(['message:text', 'message:caption']).filter(
    (ctx) => ctx.msg.reply_to_message?.from?.id === ctx.me.id || mentionsMe(ctx.msg, ctx.me),
    rateLimit,
    async (ctx) => {
      await answerQuestion(ctx, deps, extractQuestion(ctx.msg, ctx.me), ctx.msg.message_id);
    },
  );

  return composer;
}
