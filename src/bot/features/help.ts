/** /start and /help: what the bot does and how to ask, in private, in groups and inline. */
import { Composer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { code, strong, text, type Block } from '../../answer/document';
import type { BotContext } from '../context';
import { replyBlocks } from '../send';

/** The help text for this bot. */
export function helpBlocks(me: UserFromGetMe): Block[] {
  const handle = `@${me.username}`;
  return [
    text(
      'I answer questions about a folder of reports by quoting them word for word. Every quote shows its source ' +
        '(report number, title and paragraph ¶) and the sentence that answers you is in bold. I never write answers myself: ' +
        "if the reports don't say it, I tell you so.",
    ),
    text(strong('Ask'), '\n• In this chat, just send your question, e.g. ', code('What did NATO promise about air defense?'), '\n• ', code('/ask <question>'), ' works in any chat.\n• Under an answer, “Context N” shows the paragraphs around quote N and “More results” shows the next passages.'),
    text(
      strong('In groups'),
      '\n• Use ',
      code('/ask <question>'),
      `, mention ${handle} with your question, or reply to one of my messages.`,
      "\n• With Telegram's privacy mode on (the default), I only see commands and replies to my messages in groups, so /ask is the reliable way.",
    ),
    text(strong('Inline'), '\n• In any chat, type ', code(`${handle} <question>`), ' and pick a quote to send it.'),
    text('/sources lists the indexed reports; /about shows index details.'),
  ];
}

export function helpFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command(['start', 'help'], async (ctx) => {
    await replyBlocks(ctx, helpBlocks(ctx.me));
  });
  return composer;
}
