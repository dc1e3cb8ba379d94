/** The grammY context type used by every feature. */
import type { Context } from 'grammy';
import type { Logger } from '../logger';

export interface LogFlavor {
  /** Child logger bound to this update (update_id, chat_id, user_id). */
  log: Logger;
}

export type BotContext = Context & LogFlavor;
