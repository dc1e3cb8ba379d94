/**
 * Per-user question rate limit (@grammyjs/ratelimiter). Applied only where a search runs. Users
 * over the limit get one polite note per window in chats; buttons and inline queries are always
 * answered so clients stop waiting.
 */
import { limit } from '@grammyjs/ratelimiter';
import type { MiddlewareFn } from 'grammy';
import type { BotContext } from '../context';
import type { SharedCounter } from '../../store/redis-client';

export interface RateLimitOptions {
  /** Questions per user per minute; 0 disables the limiter. */
  perMinute: number;
  /** Never limited. */
  adminUserIds: ReadonlySet<number>;
  /** Counts shared by every replica (Redis); default: this process's memory. */
  storage?: SharedCounter;
}

const WINDOW_MS = 60_000;

export function questionRateLimit(options: RateLimitOptions): MiddlewareFn<BotContext> {
  if (options.perMinute <= 0) return (_ctx, next) => next();
  const notifiedAt = new Map<number, number>();
  return limit<BotContext, SharedCounter>({
    storageClient: options.storage ?? 'MEMORY_STORE',
    timeFrame: WINDOW_MS,
    limit: options.perMinute,
    alwaysReply: true,
    keyGenerator: (ctx) => {
      const id = ctx.from?.id;
      return id === undefined || options.adminUserIds.has(id) ? undefined : String(id);
    },
    onLimitExceeded: async (ctx) => {
      ctx.log.info('rate limited');
      if (ctx.callbackQuery) {
        await ctx.answerCallbackQuery({ text: ctx.t('rate-limited') });
        return;
      }
      if (ctx.inlineQuery) {
        await ctx.answerInlineQuery([], { cache_time: 0, is_personal: true });
        return;
      }
      const userId = ctx.from?.id;
      const now = Date.now();
      if (userId === undefined || now - (notifiedAt.get(userId) ?? 0) < WINDOW_MS) return;
      notifiedAt.set(userId, now);
      for (const [id, at] of notifiedAt) if (now - at >= WINDOW_MS) notifiedAt.delete(id);
      await ctx.reply(ctx.t('rate-limited'), ctx.msg ? { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } } : {});
    },
  }) as MiddlewareFn<BotContext>;
}
