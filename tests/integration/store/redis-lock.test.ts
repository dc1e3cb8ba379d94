import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient, type RedisClient } from '../../../src/store/redis-client';
import { redisBuildLock } from '../../../src/store/redis-lock';
import { type RedisServer, startRedisServer } from '../../helpers/redis-server';

let redis: RedisServer;
let a: RedisClient;
let b: RedisClient;
beforeAll(async () => {
  redis = await startRedisServer();
  a = createRedisClient(redis.url);
  b = createRedisClient(redis.url);
});
afterAll(async () => {
  await a.close();
  await b.close();
  await redis.kill();
});

describe('build lock in Redis', () => {
  it('lets one replica build at a time, and the next one in once it is released', async () => {
    const first = await redisBuildLock(a)(0);
    await expect(redisBuildLock(b)(0)).rejects.toMatchObject({ code: 'INDEX_LOCKED' });
    const waiting = redisBuildLock(b)(5000);
    await first.release();
    const second = await waiting;
    await second.release();
  });

  it('frees the lock of a holder that died when its TTL ends', async () => {
    // What a builder that crashed leaves behind: its key, no longer renewed.
    expect(await a.setIfAbsent('rqb:build-lock', 'crashed-builder', 400)).toBe(true);
    await expect(redisBuildLock(b)(0)).rejects.toMatchObject({ code: 'INDEX_LOCKED' });
    const next = await redisBuildLock(b)(3000);
    await expect(redisBuildLock(a)(0)).rejects.toMatchObject({ code: 'INDEX_LOCKED' });
    await next.release();
    const again = await redisBuildLock(a)(0);
    await again.release();
  });
  it('refuses a build with STORE_UNAVAILABLE while Redis is down, and locks again when it is back', async () => {
    await redis.kill();
    await expect(redisBuildLock(a)(0)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await redis.restart();
    await expect.poll(async () => redisBuildLock(a)(0).then((lock) => lock.release().then(() => 'locked'), (err: { code?: string }) => err.code), { timeout: 10_000, interval: 300 }).toBe('locked');
  });
});
