/**
 * The bot's own words (frame, help, errors, buttons, command menu) in English, Ukrainian and
 * Russian, from the Fluent files in src/locales/ through @grammyjs/i18n. Quotes from the reports
 * never pass through here: they are shown verbatim.
 */
import { fileURLToPath } from 'node:url';
import { I18n } from '@grammyjs/i18n';
import type { Context } from 'grammy';

/** Our words in one language: a Fluent message id (with its variables) → text. */
export type Translate = (key: string, args?: Record<string, string | number>) => string;

export const LOCALES = ['en', 'uk', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];
/** Used for users whose Telegram language is none of LOCALES, and for keys a language lacks. */
export const DEFAULT_LOCALE: Locale = 'en';

const LOCALES_DIR = fileURLToPath(new URL('../locales', import.meta.url));

/**
 * Loads every locale file. As middleware it gives each update `ctx.t` in the user's Telegram
 * language (`language_code`), falling back to English.
 */
function createI18n(): I18n<Context> {
  return new I18n<Context>({
    defaultLocale: DEFAULT_LOCALE,
    directory: LOCALES_DIR,
    // No Unicode isolation marks around variables: they would end up inside Telegram messages.
    fluentBundleOptions: { useIsolating: false },
    // A key missing in uk/ru falls back to English; tests/unit/i18n/locales.test.ts keeps the files complete.
    fluentOptions: { warningHandler: () => {} },
  });
}

let shared: I18n<Context> | undefined;

/** The process's one I18n (the locale files never change while it runs). */
export function botI18n(): I18n<Context> {
  shared ??= createI18n();
  return shared;
}

/** The words of one locale, outside any update (console, admin notices, command menus). */
export function wordsFor(locale: string): Translate {
  const i18n = botI18n();
  return (key, args) => i18n.t(locale, key, args);
}

/** English words (console mode and the CLI speak English). */
export function englishWords(): Translate {
  return wordsFor(DEFAULT_LOCALE);
}
