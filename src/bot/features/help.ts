/** /start and /help: what the bot does and how to ask, in private, in groups and inline. */
import { Composer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { strong, text, withCode, type Block } from '../../answer/document';
import type { Translate } from '../../i18n/words';
import type { BotContext } from '../context';
import { replyBlocks } from '../send';

/** The help text for this bot, in the words of `t`. */
export function helpBlocks(me: UserFromGetMe, t: Translate): Block[] {
  const bot = `@${me.username}`;
  const section = (title: string, body: string): Block => text(strong(t(title)), '\n', ...withCode(t(body, { bot })));
  return [
    text(t('help-intro')),
    section('help-ask-title', 'help-ask'),
    section('help-groups-title', 'help-groups'),
    section('help-inline-title', 'help-inline'),
    text(t('help-language')),
    text(t('help-footer')),
    section('help-admins-title', 'help-admins'),
  ];
}

export function helpFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command(['start', 'help'], async (ctx) => {
    await replyBlocks(ctx, helpBlocks(ctx.me, ctx.t));
  });
  return composer;
}
