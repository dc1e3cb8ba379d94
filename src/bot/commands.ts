/** The command menu, registered with setMyCommands at start-up in every language the bot speaks. */
import type { Api } from 'grammy';
import type { BotCommand } from 'grammy/types';
import { DEFAULT_LOCALE, LOCALES, type Translate } from '../i18n/words';

const COMMANDS = ['ask', 'help', 'sources', 'latest', 'about'] as const;

type ApiSignal = Parameters<Api['setMyCommands']>[2];

/** The menu in the words of `t`. */
export function botCommands(t: Translate): BotCommand[] {
  return COMMANDS.map((command) => ({ command, description: t(`command-${command}`) }));
}

/** Registers the menu: English for everyone, and each other language for users whose Telegram uses it. */
export async function registerCommands(api: Api, words: (locale: string) => Translate, signal?: ApiSignal): Promise<void> {
  await api.setMyCommands(botCommands(words(DEFAULT_LOCALE)), undefined, signal);
  for (const locale of LOCALES) {
    if (locale !== DEFAULT_LOCALE) await api.setMyCommands(botCommands(words(locale)), { language_code: locale }, signal);
  }
}
