/**
 * Inline mode (`@bot question` in any chat): up to 10 quotes as article results. Very short queries
 * get one help article; unanswerable ones one article saying the reports don't cover it.
 */
import { Composer, type MiddlewareFn } from 'grammy';
import type { InlineQueryResultArticle } from 'grammy/types';
import { findAnswer, prepareQuestion } from '../../answer/answer';
import { code, text } from '../../answer/document';
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
export const UNSURE_TITLE = 'Not sure it answers';

export function inlineFeature(searcher: Searcher, rateLimit: MiddlewareFn<BotContext>): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('inline_query', rateLimit, async (ctx) => {
    const query = ctx.inlineQuery.query.trim();
    const prepared = query.length < MIN_INLINE_QUERY_CHARS ? null : prepareQuestion(query);
    if (prepared === null) {
      await ctx.answerInlineQuery([inlineHelp(ctx.me.username)], { cache_time: HELP_CACHE_SECONDS });
      return;
    }
    const page = await findAnswer(searcher, prepared, { offset: 0, k: MAX_INLINE_RESULTS });
    if (page.quotes.length === 0) {
      await ctx.answerInlineQuery([inlineNotFound()], { cache_time: RESULTS_CACHE_SECONDS });
      return;
    }
    // An unsure answer says so in every article title, since a title is all a person sees before sending.
    const titleOf = (title: string): string => (page.level === 'unsure' ? `${UNSURE_TITLE} · ${title}` : title);
    const results = page.quotes.map((quote, index) => renderInlineArticle(`${index}:${quote.passageId}`.slice(0, 64), quote, titleOf(quote.title)));
    await ctx.answerInlineQuery(results, { cache_time: RESULTS_CACHE_SECONDS });
  });
  return composer;
}

function inlineHelp(username: string): InlineQueryResultArticle {
  return renderInlineNotice('help', 'Type a question about the reports', [
    text('I quote the reports word for word, with sources. Type ', code(`@${username} <question>`), ' in any chat, or message me directly.'),
  ]);
}

function inlineNotFound(): InlineQueryResultArticle {
  return renderInlineNotice('not-found', 'Not in the reports', [text("I couldn't find this in the reports.")]);
}
