/**
 * Extracts the question from a message addressed to the bot: plain private text, `/ask …`,
 * `/ask@bot …`, or a group message that mentions the bot; a photo's or file's caption counts as text. Used both when a message arrives and
 * when a "More results" button recovers the question from the message the answer replied to.
 */
import type { Message, MessageEntity, UserFromGetMe } from 'grammy/types';

type TextMessage = Pick<Message, 'text' | 'entities' | 'caption' | 'caption_entities'>;

/** The message's text, or its caption when it has none. */
function textOf(message: TextMessage): { text: string; entities: MessageEntity[] } {
  if (message.text !== undefined) return { text: message.text, entities: message.entities ?? [] };
  return { text: message.caption ?? '', entities: message.caption_entities ?? [] };
}

/** The question text, or '' when the message addresses the bot without asking anything. */
export function extractQuestion(message: TextMessage, me: UserFromGetMe): string {
  const { text, entities } = textOf(message);
  const removals: Array<[number, number]> = [];
  const command = entities.find((e) => e.type === 'bot_command' && e.offset === 0);
  if (command !== undefined) removals.push([0, command.length]);
  for (const entity of entities) {
    if (isMentionOfMe(text, entity, me)) removals.push([entity.offset, entity.offset + entity.length]);
  }
  let out = '';
  let at = 0;
  for (const [s, e] of removals.sort((a, b) => a[0] - b[0])) {
    if (s < at) continue;
    out += text.slice(at, s) + ' ';
    at = e;
  }
  out += text.slice(at);
  return out.replace(/\s+/g, ' ').trim();
}

/** True when the message (or caption) starts with `/<name>` or `/<name>@thisbot`. */
export function startsWithCommand(message: TextMessage, name: string, me: UserFromGetMe): boolean {
  const { text, entities } = textOf(message);
  const command = entities.find((e) => e.type === 'bot_command' && e.offset === 0);
  if (command === undefined) return false;
  const [cmd, target] = text.slice(1, command.length).toLowerCase().split('@');
  return cmd === name && (target === undefined || target === me.username.toLowerCase());
}

/** True when the message mentions this bot by @username or text mention. */
export function mentionsMe(message: TextMessage, me: UserFromGetMe): boolean {
  const { text, entities } = textOf(message);
  return entities.some((e) => isMentionOfMe(text, e, me));
}

function isMentionOfMe(text: string, entity: MessageEntity, me: UserFromGetMe): boolean {
  if (entity.type === 'text_mention') return entity.user.id === me.id;
  if (entity.type !== 'mention') return false;
  const mention = text.slice(entity.offset, entity.offset + entity.length);
  return mention.toLowerCase() === `@${me.username}`.toLowerCase();
}
