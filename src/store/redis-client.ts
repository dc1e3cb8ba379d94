/**
 * Redis (REDIS_URL) for what replicas must share besides the index: the per-user rate limit and
 * the one-build-at-a-time lock. Commands fail at once while Redis is unreachable (no offline
 * queue), as StoreUnavailableError, and the client reconnects by itself in the background.
 */
import { Redis } from 'ioredis';
import { StoreUnavailableError } from './sql-client';

/** Delay between reconnect attempts, capped so a returning Redis is found within a couple of seconds. */
const MAX_RECONNECT_DELAY_MS = 2000;
/** A command that gets no reply in this time fails instead of holding a question. */
const COMMAND_TIMEOUT_MS = 2000;
const HINT = 'Check that Redis is running and REDIS_URL points at it.';
/** INCR, and PEXPIRE when the key has no TTL yet (also heals a key whose TTL was lost). */
const HIT = "local n = redis.call('incr', KEYS[1]) if redis.call('pttl', KEYS[1]) < 0 then redis.call('pexpire', KEYS[1], ARGV[1]) end return n";

/** A hit counter shared by replicas: the per-user rate limit's storage. */
export interface SharedCounter {
  /**
   * Counts one hit on `key` and returns the hits so far in its window. The window (a TTL of
   * `windowMs`) starts with the first hit; INCR and the TTL run in one script, so no key is ever
   * left without one.
   */
  hit(key: string, windowMs: number): Promise<number>;
}

export interface RedisClient extends SharedCounter {
  /** SET key value NX PX ttl: true when the key was set. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Runs a Lua script. */
  eval(script: string, keys: string[], args: Array<string | number>): Promise<unknown>;
  close(): Promise<void>;
}

function unavailable(err: unknown): StoreUnavailableError {
  return new StoreUnavailableError(`Redis is unavailable (${err instanceof Error ? err.message : String(err)}).`, { cause: err, hint: HINT });
}

/** A Redis client for `url` (redis://…) that fails fast while Redis is down and reconnects by itself. */
export function createRedisClient(url: string): RedisClient {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, MAX_RECONNECT_DELAY_MS),
  });
  // Connection errors are reported by the commands that fail; the client keeps reconnecting.
  redis.on('error', () => {});
  /** Waits briefly for a connection being (re)made, so a command right after start or a reconnect does not fail. */
  const connected = (): Promise<void> =>
    redis.status === 'ready'
      ? Promise.resolve()
      : new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            redis.off('ready', onReady);
            reject(new Error(`not connected (${redis.status})`));
          }, COMMAND_TIMEOUT_MS);
          const onReady = (): void => {
            clearTimeout(timer);
            resolve();
          };
          redis.once('ready', onReady);
        });
  const wrap = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      await connected();
      return await run();
    } catch (err) {
      throw unavailable(err);
    }
  };
  return {
    hit: (key, windowMs) => wrap(async () => Number(await redis.eval(HIT, 1, key, Math.trunc(windowMs)))),
    setIfAbsent: (key, value, ttlMs) => wrap(async () => (await redis.set(key, value, 'PX', ttlMs, 'NX')) === 'OK'),
    eval: (script, keys, args) => wrap(() => redis.eval(script, keys.length, ...keys, ...args)),
    close: async () => {
      redis.disconnect();
    },
  };
}
