/**
 * Inline mode (`@bot question` in any chat): up to 10 quotes as article results. Very short queries
 * get one help article; unanswerable ones one article saying the reports don't cover it.
 *
 * Telegram caches inline answers per query and, unless they are marked personal, serves them to
 * anyone typing the same query. So when allow-lists restrict the bot, every answer is personal and
 * cached briefly, and the help and not-found articles (in the asker's language) are always personal.
 */
import { Composer, type MiddlewareFn } from 'grammy';
import type { InlineQueryResultArticle } from 'grammy/types';
import { findAnswer, prepareQuestion } from '../../answer/answer';
import { text, withCode } from '../../answer/document';
import type { Searcher } from '../../search/types';
import type { BotContext } from '../context';
import { renderInlineArticle, renderInlineNotice } from '../format';

// Shorter queries are still being typed; searching them wastes work on every keystroke.
export const MIN_INLINE_QUERY_CHARS = 3;
// Telegram shows at most 50, but 10 quotes are plenty to pick from and keep the answer fast.
export const MAX_INLINE_RESULTS = 10;
// Seconds Telegram may cache results: answers change only when the index is rebuilt.
const RESULTS_CACHE_SECONDS = 300;
const HELP_CACHE_SECONDS = 3600;
// With allow-lists, a user's cached answers outlive a revoked access by at most this long.
export const PRIVATE_CACHE_SECONDS = 10;

export interface InlineOptions {
  /** True when allow-lists restrict the bot: answers must never be served to someone else. */
  restricted: boolean;
}

export function inlineFeature(searcher: Searcher, rateLimit: MiddlewareFn<BotContext>, options: InlineOptions): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const cache = (seconds: number, alwaysPersonal: boolean) =>
    options.restricted
      ? { cache_time: Math.min(seconds, PRIVATE_CACHE_SECONDS), is_personal: true }
      : { cache_time: seconds, ...(alwaysPersonal ? { is_personal: true } : {}) };
  composer.on('inline_query', rateLimit, async (ctx) => {
    const query = ctx.inlineQuery.query.trim();
    const prepared = query.length < MIN_INLINE_QUERY_CHARS ? null : prepareQuestion(query);
    if (prepared === null) {
      await ctx.answerInlineQuery([inlineHelp(ctx)], cache(HELP_CACHE_SECONDS, true));
      return;
    }
    const page = await findAnswer(searcher, prepared, { offset: 0, k: MAX_INLINE_RESULTS });
    if (page.quotes.length === 0) {
      await ctx.answerInlineQuery([inlineNotFound(ctx)], cache(RESULTS_CACHE_SECONDS, true));
      return;
    }
    // An unsure answer says so in every article title, since a title is all a person sees before sending.
    const titleOf = (title: string): string => (page.level === 'unsure' ? `${ctx.t('inline-unsure-title')} · ${title}` : title);
    const results = page.quotes.map((quote, index) => renderInlineArticle(`${index}:${quote.passageId}`.slice(0, 64), quote, titleOf(quote.title)));
    await ctx.answerInlineQuery(results, cache(RESULTS_CACHE_SECONDS, false));
  });
  return composer;
}

function inlineHelp(ctx: BotContext): InlineQueryResultArticle {
  return renderInlineNotice('help', ctx.t('inline-help-title'), [text(...withCode(ctx.t('inline-help-body', { bot: `@${ctx.me.username}` })))]);
}

function inlineNotFound(ctx: BotContext): InlineQueryResultArticle {
  return renderInlineNotice('not-found', ctx.t('inline-not-found-title'), [text(ctx.t('inline-not-found-body'))]);
}
