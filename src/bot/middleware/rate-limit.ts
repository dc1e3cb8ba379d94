/**
 * Per-user question rate limit (@grammyjs/ratelimiter). Applied only where a search runs. Users
 * over the limit get one polite note per window in chats; buttons and inline queries are always
 * answered so clients stop waiting.
 *
 * With shared storage (Redis) the limit holds across replicas. While that storage is unavailable
 * the limiter fails open to this process's memory: questions are still answered and limited per
 * replica (as without REDIS_URL), because the search itself does not need Redis. The shared counts
 * take over again as soon as Redis answers.
 */
import { limit } from '@grammyjs/ratelimiter';
import type { MiddlewareFn } from 'grammy';
import { AppError } from '../../errors';
import type { BotContext } from '../context';
import type { SharedCounter } from '../../store/redis-client';

export interface RateLimitOptions {
  /** Questions per user per minute; 0 disables the limiter. */
  perMinute: number;
  /** Never limited. */
  adminUserIds: ReadonlySet<number>;
  /** Counts shared by every replica (Redis); default: this process's memory. */
  storage?: SharedCounter;
  /** Told when the shared storage becomes unavailable (the limiter then counts per replica) and when it is back. */
  onStorageChange?: (available: boolean, err?: unknown) => void;
}

const WINDOW_MS = 60_000;
/** After shared storage failed, count in memory this long before trying it again, so an outage does not slow every question. */
const STORAGE_RETRY_MS = 1000;
/** Local windows kept before expired ones are swept. */
const LOCAL_SWEEP_AT = 10_000;

/** What @grammyjs/ratelimiter calls on a Redis-like storage client. */
interface LimiterStorage {
  incr(key: string): Promise<number>;
  pexpire(key: string, milliseconds: number): Promise<number>;
}

/**
 * Counts in `shared`, or in memory while it is unavailable (STORE_UNAVAILABLE). One question at a
 * time probes the shared storage again after STORAGE_RETRY_MS; the others count locally meanwhile.
 */
function failOpenStorage(shared: SharedCounter, onChange: (available: boolean, err?: unknown) => void): LimiterStorage {
  const local = new Map<string, { hits: number; resetAt: number }>();
  let downUntil = 0;
  let probing = false;
  let available = true;
  const countLocally = (key: string): number => {
    const now = Date.now();
    if (local.size >= LOCAL_SWEEP_AT) for (const [k, w] of local) if (w.resetAt <= now) local.delete(k);
    let window = local.get(key);
    if (!window || window.resetAt <= now) local.set(key, (window = { hits: 0, resetAt: now + WINDOW_MS }));
    window.hits++;
    return window.hits;
  };
  return {
    async incr(key) {
      if (Date.now() < downUntil || probing) return countLocally(key);
      probing = !available;
      try {
        const hits = await shared.hit(key, WINDOW_MS);
        if (!available) {
          available = true;
          local.clear();
          onChange(true);
        }
        return hits;
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'STORE_UNAVAILABLE')) throw err;
        downUntil = Date.now() + STORAGE_RETRY_MS;
        if (available) {
          available = false;
          onChange(false, err);
        }
        return countLocally(key);
      } finally {
        probing = false;
      }
    },
    // hit() starts the window itself (atomically in Redis), so the limiter's separate PEXPIRE has nothing to do.
    pexpire: async () => 1,
  };
}

export function questionRateLimit(options: RateLimitOptions): MiddlewareFn<BotContext> {
  if (options.perMinute <= 0) return (_ctx, next) => next();
  const notifiedAt = new Map<number, number>();
  const storage = options.storage ? failOpenStorage(options.storage, options.onStorageChange ?? (() => {})) : null;
  return limit<BotContext, LimiterStorage>({
    storageClient: storage ?? 'MEMORY_STORE',
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
