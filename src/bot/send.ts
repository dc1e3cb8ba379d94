/** Sends rendered blocks: replies in the current chat (keyboard on the last part), notifications, and edits. */
import type { Api } from 'grammy';
import type { InlineKeyboardMarkup, Message, MessageEntity } from 'grammy/types';
import type { Block } from '../answer/document';
import type { BotContext } from './context';
import { renderBlocks, type TgMessage } from './format';

export interface SendOptions {
  /** Message every part replies to (so buttons can recover the question). */
  replyTo?: number;
  keyboard?: InlineKeyboardMarkup | null;
}

/** Entities (never a parse mode) and no link previews: report text is shown exactly as written. */
function textOptions(part: TgMessage): { entities?: MessageEntity[]; link_preview_options: { is_disabled: true } } {
  return { ...(part.entities.length > 0 ? { entities: part.entities } : {}), link_preview_options: { is_disabled: true } };
}

/** Sends `blocks` as one or more messages, in order; returns the sent messages. */
export async function replyBlocks(ctx: BotContext, blocks: readonly Block[], options: SendOptions = {}): Promise<Message.TextMessage[]> {
  const parts = renderBlocks(blocks);
  const sent: Message.TextMessage[] = [];
  for (const [index, part] of parts.entries()) {
    const last = index === parts.length - 1;
    sent.push(
      await ctx.reply(part.text, {
        ...textOptions(part),
        ...(options.replyTo === undefined
          ? {}
          : { reply_parameters: { message_id: options.replyTo, allow_sending_without_reply: true } }),
        ...(last && options.keyboard ? { reply_markup: options.keyboard } : {}),
      }),
    );
  }
  return sent;
}

/** Sends `blocks` to `chatId` outside any update (notifications); returns the sent messages. */
export async function sendBlocksTo(api: Api, chatId: number, blocks: readonly Block[]): Promise<Message.TextMessage[]> {
  const sent: Message.TextMessage[] = [];
  for (const part of renderBlocks(blocks)) {
    sent.push(
      await api.sendMessage(chatId, part.text, textOptions(part)),
    );
  }
  return sent;
}

/** Replaces the text of a sent message with `blocks`, which must fit one message (the rest is dropped). */
export async function editBlocks(api: Api, chatId: number, messageId: number, blocks: readonly Block[]): Promise<void> {
  const [part] = renderBlocks(blocks);
  if (part === undefined) return;
  await api.editMessageText(chatId, messageId, part.text, textOptions(part));
}
