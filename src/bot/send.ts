/** Sends rendered blocks to the current chat, as replies, with the keyboard on the last part. */
import type { InlineKeyboardMarkup, Message } from 'grammy/types';
import type { Block } from '../answer/document';
import type { BotContext } from './context';
import { renderBlocks } from './format';

export interface SendOptions {
  /** Message every part replies to (so buttons can recover the question). */
  replyTo?: number;
  keyboard?: InlineKeyboardMarkup | null;
}

/** Sends `blocks` as one or more messages, in order; returns the sent messages. */
export async function replyBlocks(ctx: BotContext, blocks: readonly Block[], options: SendOptions = {}): Promise<Message.TextMessage[]> {
  const parts = renderBlocks(blocks);
  const sent: Message.TextMessage[] = [];
  for (const [index, part] of parts.entries()) {
    const last = index === parts.length - 1;
    sent.push(
      await ctx.reply(part.text, {
        ...(part.entities.length > 0 ? { entities: part.entities } : {}),
        link_preview_options: { is_disabled: true },
        ...(options.replyTo === undefined
          ? {}
          : { reply_parameters: { message_id: options.replyTo, allow_sending_without_reply: true } }),
        ...(last && options.keyboard ? { reply_markup: options.keyboard } : {}),
      }),
    );
  }
  return sent;
}
