/** The grammY context type used by every feature. */
import type { I18nFlavor } from '@grammyjs/i18n';
import type { Context } from 'grammy';
import type { Logger } from '../logger';

export interface LogFlavor {
  /** Child logger bound to this update (update_id, chat_id, user_id). */
  log: Logger;
}

/** `ctx.t` gives the bot's words in the user's language (src/locales). */
export type BotContext = Context & LogFlavor & I18nFlavor;
