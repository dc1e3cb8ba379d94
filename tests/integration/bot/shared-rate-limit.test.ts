import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient, type RedisClient } from '../../../src/store/redis-client';
import { createHarness, type Harness } from '../../helpers/bot-harness';
import { createFakeSearcher } from '../../helpers/fake-searcher';
import { type RedisServer, startRedisServer } from '../../helpers/redis-server';
import { textMessage, user } from '../../helpers/updates';

const LIMITED = "You're asking faster than I can answer. Please wait a minute and ask again.";
const UNAVAILABLE = 'Search is temporarily unavailable. Please try again in a little while.';

let redis: RedisServer;
const clients: RedisClient[] = [];
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await redis.kill();
});

/** A bot replica with its own Redis connection, as a separate process would have. */
function replica(limit: number): Harness {
  const client = createRedisClient(redis.url);
  clients.push(client);
  return createHarness(createFakeSearcher(), { rateLimit: limit, rateLimitStorage: client });
}

const texts = (calls: Harness['calls']): string[] => calls.filter((c) => c.method === 'sendMessage').map((c) => String(c.payload.text));

describe('rate limit shared through Redis', () => {
  it('limits a user across two replicas to RATE_LIMIT questions in all', async () => {
    const a = replica(4);
    const b = replica(4);
    const from = user(5001);
    for (let i = 0; i < 10; i++) await (i % 2 === 0 ? a : b).send(textMessage(`What did Stoltenberg promise? ${i}`, { from }));
    const all = [...texts(a.calls), ...texts(b.calls)];
    const answers = all.filter((t) => t !== LIMITED);
    expect(answers).toHaveLength(4);
    expect(all.filter((t) => t === LIMITED).length).toBeGreaterThanOrEqual(1);
    // Another user has a budget of their own.
    const other = await a.send(textMessage('What did Stoltenberg promise?', { from: user(5002) }));
    expect(texts(other).some((t) => t !== LIMITED)).toBe(true);
  });

  it('answers "temporarily unavailable" while Redis is down, and recovers by itself', async () => {
    const a = replica(100);
    const from = user(6001);
    expect(texts(await a.send(textMessage('What did Stoltenberg promise?', { from })))[0]).not.toBe(UNAVAILABLE);
    await redis.kill();
    expect(texts(await a.send(textMessage('What did Stoltenberg promise?', { from })))).toEqual([UNAVAILABLE]);
    await redis.restart();
    await expect
      .poll(async () => texts(await a.send(textMessage('What did Stoltenberg promise?', { from })))[0], { timeout: 10_000, interval: 300 })
      .not.toBe(UNAVAILABLE);
  });
});
