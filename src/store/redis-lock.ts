/**
 * The one-build-at-a-time lock in Redis, shared by every replica: SET NX with a TTL, renewed while
 * the build runs, released only by its holder. A holder that dies loses the lock when the TTL ends.
 */
import { randomBytes } from 'node:crypto';
import { IndexError } from '../errors';
import type { BuildLock } from './lock';
import type { RedisClient } from './redis-client';

/** Long enough to outlast a renewal gap, short enough that a dead builder's lock frees soon. */
export const REDIS_LOCK_TTL_MS = 30_000;
const KEY = 'rqb:build-lock';
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Returns the lock taker for a store's builds: waits up to `waitMs`, then throws INDEX_LOCKED. */
export function redisBuildLock(redis: RedisClient, ttlMs = REDIS_LOCK_TTL_MS): (waitMs: number) => Promise<BuildLock> {
  return async (waitMs) => {
    const token = `${process.pid}-${randomBytes(6).toString('hex')}`;
    const deadline = Date.now() + waitMs;
    while (!(await redis.setIfAbsent(KEY, token, ttlMs))) {
      if (Date.now() >= deadline) {
        throw new IndexError('INDEX_LOCKED', 'Another replica is building the index (lock in Redis).', { hint: 'Wait for it to finish, then run the build again.' });
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const renew = setInterval(() => {
      redis.eval(RENEW, [KEY], [token, ttlMs]).catch(() => {});
    }, ttlMs / 3);
    renew.unref();
    return {
      release: async () => {
        clearInterval(renew);
        await redis.eval(RELEASE, [KEY], [token]);
      },
    };
  };
}
