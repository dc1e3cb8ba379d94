/** Stickers, voice and other messages without text or caption in private chats get a short hint. */
import { Composer } from 'grammy';
import { text } from '../../answer/document';
import type { BotContext } from '../context';
import { replyBlocks } from '../send';

/** Install after the text handlers: it answers whatever private message is left. */
export function nonTextFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.chatType('private').on('message', async (ctx) => {
    await replyBlocks(ctx, [text(ctx.t('non-text-hint'))], { replyTo: ctx.msg.message_id });
  });
  return composer;
}
