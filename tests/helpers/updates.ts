/** Builders for Telegram updates as the Bot API would deliver them. */
import type { Chat, Message, MessageEntity, Update, User, UserFromGetMe } from 'grammy/types';

export const BOT_INFO: UserFromGetMe = {
  id: 4242,
  is_bot: true,
  first_name: 'Quote Bot',
  username: 'quote_test_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: true,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

/** A token of the right shape (never a real one). */
export const TEST_TOKEN = '123456789:AAtest-token_for_the_fake_bot_api_0000';

const DATE = 1_700_000_000;

export function user(id: number, firstName = `User${id}`, languageCode?: string): User {
  return { id, is_bot: false, first_name: firstName, ...(languageCode === undefined ? {} : { language_code: languageCode }) };
}

export function privateChat(userId: number): Chat.PrivateChat {
  return { id: userId, type: 'private', first_name: `User${userId}` };
}

export function groupChat(id: number, title = 'Test group'): Chat.SupergroupChat {
  return { id, type: 'supergroup', title };
}

/** Update ids; the fake server renumbers enqueued updates anyway. */
let nextUpdateId = 1;
let nextMessageId = 1000;

export function nextIds(): { updateId: number; messageId: number } {
  return { updateId: nextUpdateId++, messageId: nextMessageId++ };
}

/** Bot-command entity for a leading `/cmd` or `/cmd@bot`. */
function commandEntities(text: string): MessageEntity[] {
  const match = /^\/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?/.exec(text);
  return match ? [{ type: 'bot_command', offset: 0, length: match[0].length }] : [];
}

/** `@username` mention entities, as Telegram would detect them. */
function mentionEntities(text: string): MessageEntity[] {
  const out: MessageEntity[] = [];
  for (const m of text.matchAll(/@[A-Za-z0-9_]{5,32}/g)) out.push({ type: 'mention', offset: m.index, length: m[0].length });
  return out;
}

export interface MessageOptions {
  from?: User;
  chat?: Chat.PrivateChat | Chat.GroupChat | Chat.SupergroupChat;
  messageId?: number;
  replyTo?: Message;
}

/** A text message update with command and mention entities filled in. */
export type TextUpdate = Update & { message: NonNullable<Update['message']> & Message.TextMessage };

export function textMessage(text: string, options: MessageOptions = {}): TextUpdate {
  const ids = nextIds();
  const from = options.from ?? user(111);
  const chat = options.chat ?? privateChat(from.id);
  const entities = [...commandEntities(text), ...mentionEntities(text)];
  const message = {
    message_id: options.messageId ?? ids.messageId,
    date: DATE,
    chat,
    from,
    text,
    ...(entities.length > 0 ? { entities } : {}),
    ...(options.replyTo ? { reply_to_message: options.replyTo } : {}),
  } as NonNullable<Update['message']> & Message.TextMessage;
  return { update_id: ids.updateId, message };
}

/** A photo message update with a caption (command and mention entities filled in). */
export function photoMessage(caption: string, options: MessageOptions = {}): Update {
  const ids = nextIds();
  const from = options.from ?? user(111);
  const entities = [...commandEntities(caption), ...mentionEntities(caption)];
  const message = {
    message_id: options.messageId ?? ids.messageId,
    date: DATE,
    chat: options.chat ?? privateChat(from.id),
    from,
    photo: [{ file_id: 'photo-file', file_unique_id: 'photo-unique', width: 640, height: 480 }],
    caption,
    ...(entities.length > 0 ? { caption_entities: entities } : {}),
    ...(options.replyTo ? { reply_to_message: options.replyTo } : {}),
  } as NonNullable<Update['message']>;
  return { update_id: ids.updateId, message };
}

/** A button press without callback data (a game button, or a client that sends none). */
export function emptyCallbackQuery(message: Message | undefined, from: User = user(111)): Update {
  const ids = nextIds();
  return {
    update_id: ids.updateId,
    callback_query: { id: `cbq-${ids.updateId}`, from, chat_instance: 'chat-instance', game_short_name: 'game', ...(message ? { message } : {}) },
  };
}

/** A sticker message update. */
export function stickerMessage(options: MessageOptions = {}): Update {
  const ids = nextIds();
  const from = options.from ?? user(111);
  const message = {
    message_id: options.messageId ?? ids.messageId,
    date: DATE,
    chat: options.chat ?? privateChat(from.id),
    from,
    sticker: {
      file_id: 'sticker-file',
      file_unique_id: 'sticker-unique',
      type: 'regular',
      width: 512,
      height: 512,
      is_animated: false,
      is_video: false,
      emoji: '👍',
    },
  } as NonNullable<Update['message']>;
  return { update_id: ids.updateId, message };
}

/** A document message update (a file sent to the bot); `file` as FakeBotApi.addFile returns it. */
export function documentMessage(
  file: { file_id: string; file_unique_id: string; file_size: number },
  fileName: string,
  mimeType: string,
  options: MessageOptions = {},
): Update {
  const ids = nextIds();
  const from = options.from ?? user(111);
  const message = {
    message_id: options.messageId ?? ids.messageId,
    date: DATE,
    chat: options.chat ?? privateChat(from.id),
    from,
    document: { ...file, file_name: fileName, mime_type: mimeType },
  } as NonNullable<Update['message']>;
  return { update_id: ids.updateId, message };
}

/** A message the bot sent earlier, as it appears inside reply_to_message. */
export function botMessage(text: string, chat: Chat, messageId: number, replyTo?: Message): Message.TextMessage {
  return {
    message_id: messageId,
    date: DATE,
    chat,
    from: { id: BOT_INFO.id, is_bot: true, first_name: BOT_INFO.first_name, username: BOT_INFO.username },
    text,
    ...(replyTo ? { reply_to_message: replyTo } : {}),
  } as Message.TextMessage;
}

/** A button press on `message`. */
export function callbackQuery(data: string, message: Message | undefined, from: User = user(111)): Update {
  const ids = nextIds();
  return {
    update_id: ids.updateId,
    callback_query: {
      id: `cbq-${ids.updateId}`,
      from,
      chat_instance: 'chat-instance',
      data,
      ...(message ? { message } : {}),
    },
  };
}

export function inlineQuery(query: string, from: User = user(111)): Update {
  const ids = nextIds();
  return {
    update_id: ids.updateId,
    inline_query: { id: `iq-${ids.updateId}`, from, query, offset: '' },
  };
}

/** Access lists that let everyone in (no allow-lists, no admins). */
export const NO_ACCESS_LISTS = { allowedUserIds: new Set<number>(), allowedChatIds: new Set<number>(), adminUserIds: new Set<number>() };
