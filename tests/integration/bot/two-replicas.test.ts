/**
 * Two `src/main.ts` processes in webhook mode share one Postgres (PGlite over the wire) and one
 * Redis, as replicas behind a proxy would. A flood split across them is answered exactly once per
 * update, the rate limit holds across both, a build published meanwhile is picked up by both
 * without restarts while questions are in flight, and a Postgres outage gives "temporarily
 * unavailable" replies and then recovers.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englishRanks } from '../../../src/embed/english-ranks';
import { createPgStore } from '../../../src/store/pg-store';
import { EXTRA_REPORT, writeReports } from '../../helpers/extra-report';
import { FakeBotApi } from '../../helpers/fake-bot-api';
import { type MainProcess, spawnMain } from '../../helpers/main-process';
import { MODEL_CACHE_DIR, getOfflineEmbedder } from '../../helpers/offline-embedder';
import { pgliteClient, type PgliteServer, startPgliteServer } from '../../helpers/pglite';
import { freePort, type RedisServer, startRedisServer } from '../../helpers/redis-server';
import { TEST_TOKEN, textMessage, user } from '../../helpers/updates';

const WEBHOOK_PATH = '/telegram/webhook';
const SECRET = 'two-replicas-secret_0123456789';
const LIMIT = 3;
const LIMITED = "You're asking faster than I can answer. Please wait a minute and ask again.";
const UNAVAILABLE = 'Search is temporarily unavailable. Please try again in a little while.';

let root: string;
let api: FakeBotApi;
let pg: PgliteServer;
let redis: RedisServer;
let reportsDir: string;
const replicas: Array<{ main: MainProcess; port: number }> = [];

async function post(port: number, update: Update): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}${WEBHOOK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify(update),
    signal: AbortSignal.timeout(10_000),
  });
  return res.status;
}

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

const repliesTo = (chatId: number): string[] => api.okCalls('sendMessage').filter((c) => c.payload.chat_id === chatId).map((c) => String(c.payload.text));

beforeAll(async () => {
  api = await FakeBotApi.start();
  pg = await startPgliteServer();
  redis = await startRedisServer();
  root = await mkdtemp(path.join(tmpdir(), 'two-replicas-'));
  reportsDir = await writeReports(path.join(root, 'reports'), false);
  const store = createPgStore({ client: pgliteClient(pg.db) });
  await store.build({ reportsDir, embedder: await getOfflineEmbedder(), englishRanks: await englishRanks(MODEL_CACHE_DIR) });
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const main = spawnMain({
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: api.apiRoot,
      WEBHOOK_URL: `https://bot.example.org${WEBHOOK_PATH}`,
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      REPORTS_DIR: reportsDir,
      INDEX_DIR: path.join(root, `unused-index-${i}`),
      RATE_LIMIT: String(LIMIT),
      LOG_LEVEL: 'info',
    });
    replicas.push({ main, port });
  }
  const deadline = Date.now() + 90_000;
  for (const r of replicas) {
    while (!(await healthy(r.port))) {
      if (Date.now() > deadline || r.main.child.exitCode !== null) throw new Error(`replica on ${r.port} did not start:\n${r.main.output()}`);
      await new Promise((res) => setTimeout(res, 200));
    }
  }
}, 150_000);

afterAll(async () => {
  for (const r of replicas) {
    r.main.child.kill('SIGTERM');
    await Promise.race([r.main.exited, new Promise((res) => setTimeout(res, 10_000))]);
    r.main.kill();
  }
  await redis?.kill();
  await pg?.stop();
  await api?.close();
  await rm(root, { recursive: true, force: true });
});

describe('two bot replicas on one Postgres and one Redis', () => {
  it('answers a flood split across both exactly once per update', async () => {
    const users = Array.from({ length: 30 }, (_, i) => 20_000 + i);
    const statuses = await Promise.all(users.map((id, i) => post(replicas[i % 2]!.port, textMessage('What did NATO promise about air defense?', { from: user(id) }))));
    expect(statuses.every((s) => s === 200)).toBe(true);
    await api.waitFor(() => users.every((id) => repliesTo(id).length >= 1), 60_000, 'an answer to every user');
    await new Promise((r) => setTimeout(r, 500));
    for (const id of users) {
      expect(repliesTo(id)).toHaveLength(1);
      expect(repliesTo(id)[0]).toMatch(/\n\d+\. /);
    }
  }, 90_000);

  it('limits a user across both replicas to RATE_LIMIT questions in all', async () => {
    const id = 30_001;
    for (let i = 0; i < 8; i++) expect(await post(replicas[i % 2]!.port, textMessage(`What did Stoltenberg promise Ukraine? ${i}`, { from: user(id) }))).toBe(200);
    await api.waitFor(() => repliesTo(id).filter((t) => t !== LIMITED).length >= LIMIT && repliesTo(id).includes(LIMITED), 30_000, 'answers and a limit note');
    await new Promise((r) => setTimeout(r, 1000));
    expect(repliesTo(id).filter((t) => t !== LIMITED)).toHaveLength(LIMIT);
  }, 60_000);

  it('picks up a new build on both replicas without restarts, answering questions in flight', async () => {
    await writeFile(path.join(reportsDir, EXTRA_REPORT.file), EXTRA_REPORT.text);
    const store = createPgStore({ client: pgliteClient(pg.db) });
    const inFlight = Array.from({ length: 10 }, (_, i) => 40_000 + i);
    const building = store.build({ reportsDir, embedder: await getOfflineEmbedder() });
    await Promise.all(inFlight.map((id, i) => post(replicas[i % 2]!.port, textMessage('What did NATO promise about air defense?', { from: user(id) }))));
    await building;
    await api.waitFor(() => inFlight.every((id) => repliesTo(id).length === 1), 60_000, 'answers to the questions in flight');
    for (const [n, r] of replicas.entries()) {
      await api.waitFor(() => r.main.output().includes('new index loaded'), 60_000, `replica ${n} to load the new build`);
      const id = 50_000 + n;
      expect(await post(r.port, textMessage(EXTRA_REPORT.question, { from: user(id) }))).toBe(200);
      const answer = await api.waitFor(() => repliesTo(id)[0], 30_000, `replica ${n}'s answer from the new build`);
      expect(answer).toContain(EXTRA_REPORT.fact);
    }
  }, 120_000);

  it('replies "temporarily unavailable" while Postgres is down, stays up, and recovers by itself', async () => {
    const port = pg.port;
    await pg.stop();
    const down = [60_001, 60_002];
    for (const [i, id] of down.entries()) expect(await post(replicas[i]!.port, textMessage('What did NATO promise about air defense?', { from: user(id) }))).toBe(200);
    for (const id of down) expect(await api.waitFor(() => repliesTo(id)[0], 30_000, 'the outage reply')).toBe(UNAVAILABLE);
    pg = await startPgliteServer(pg.db, port);
    for (const [i, r] of replicas.entries()) {
      expect(r.main.child.exitCode).toBeNull();
      let answered = false;
      for (let attempt = 0; attempt < 20 && !answered; attempt++) {
        const id = 61_000 + i * 100 + attempt;
        await post(r.port, textMessage('What did NATO promise about air defense?', { from: user(id) }));
        const reply = await api.waitFor(() => repliesTo(id)[0], 30_000, 'a reply after recovery');
        answered = reply !== UNAVAILABLE;
        if (!answered) await new Promise((res) => setTimeout(res, 500));
      }
      expect(answered).toBe(true);
    }
  }, 120_000);
});
