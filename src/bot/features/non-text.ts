/** Stickers, photos, voice and other non-text messages in private chats get a short hint. */
import { Composer } from 'grammy';
import { text } from '../../answer/document';
import type { BotContext } from '../context';
import { replyBlocks } from '../send';

export const NON_TEXT_HINT = 'I can only read text. Please type your question as a message.';

/** Install after the text handlers: it answers whatever private message is left. */
export function nonTextFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.chatType('private').on('message', async (ctx) => {
    await replyBlocks(ctx, [text(NON_TEXT_HINT)], { replyTo: ctx.msg.message_id });
  });
  return composer;
}
