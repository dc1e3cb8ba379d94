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

  it('keeps answering while Redis is down, limited per replica, and shares the limit again when it is back', async () => {
    const a = replica(3);
    const b = replica(3);
    const from = user(6001);
    expect(texts(await a.send(textMessage('What did Stoltenberg promise? 0', { from })))[0]).not.toBe(LIMITED);
    await redis.kill();
    // Fail open: each replica counts on its own, so a gets RATE_LIMIT fresh questions and b as many.
    const downA: string[] = [];
    const downB: string[] = [];
    for (let i = 1; i <= 4; i++) downA.push(...texts(await a.send(textMessage(`What did Stoltenberg promise? a${i}`, { from }))));
    for (let i = 1; i <= 4; i++) downB.push(...texts(await b.send(textMessage(`What did Stoltenberg promise? b${i}`, { from }))));
    for (const replies of [downA, downB]) {
      expect(replies).not.toContain(UNAVAILABLE);
      expect(replies.filter((t) => t !== LIMITED)).toHaveLength(3);
      expect(replies).toContain(LIMITED);
    }
    await redis.restart();
    // Back on Redis: a fresh user's budget is shared by both replicas again (3 answers of 6, not 3 per replica).
    let next = 6100;
    const answeredOfSix = async (): Promise<number> => {
      const from = user(next++);
      const replies: string[] = [];
      for (let i = 0; i < 6; i++) replies.push(...texts(await (i % 2 === 0 ? a : b).send(textMessage(`What did Stoltenberg promise? r${i}`, { from }))));
      return replies.filter((t) => t !== LIMITED).length;
    };
    await expect.poll(answeredOfSix, { timeout: 15_000, interval: 300 }).toBe(3);
  });
});
