/**
 * Two `src/main.ts` processes in webhook mode on a real PostgreSQL server with pgvector (started
 * by the test in a temporary folder on a free loopback port) and one real redis-server. Unlike
 * PGlite's socket server, which multiplexes one session, PostgreSQL delivers a NOTIFY to each
 * replica's own LISTEN connection: with the fallback poll set to 10 minutes, both replicas switch
 * to a new build within seconds, and their logs say the notification found it. Then Redis is
 * killed in the middle of a flood: every question is still answered exactly once (the rate limit
 * counts per replica meanwhile), both processes stay up, and the limit is shared again once Redis
 * is back. Last, PostgreSQL itself stops (immediate shutdown) mid-flood: questions get "temporarily
 * unavailable", both processes stay up and answer again once the server is back.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englishRanks } from '../../../src/embed/english-ranks';
import { createPgStore, type PgStore } from '../../../src/store/pg-store';
import { createPgClient, type SqlClient } from '../../../src/store/sql-client';
import { EXTRA_REPORT, writeReports } from '../../helpers/extra-report';
import { FakeBotApi } from '../../helpers/fake-bot-api';
import { type MainProcess, spawnMain } from '../../helpers/main-process';
import { MODEL_CACHE_DIR, getOfflineEmbedder } from '../../helpers/offline-embedder';
import { type RealPostgres, startRealPostgres } from '../../helpers/real-postgres';
import { freePort, type RedisServer, startRedisServer } from '../../helpers/redis-server';
import { TEST_TOKEN, textMessage, user } from '../../helpers/updates';

const WEBHOOK_PATH = '/telegram/webhook';
const SECRET = 'real-postgres-replicas_0123456789';
const LIMIT = 3;
const LIMITED = "You're asking faster than I can answer. Please wait a minute and ask again.";
const UNAVAILABLE = 'Search is temporarily unavailable. Please try again in a little while.';
/** Far longer than the test: any switch seen in it comes from NOTIFY, not from the poll. */
const POLL_MS = 600_000;
/** A switch through NOTIFY: the notification is immediate; loading the new build from Postgres takes the rest. */
const SWITCH_BOUND_MS = 15_000;

let root: string;
let api: FakeBotApi;
let postgres: RealPostgres;
let redis: RedisServer;
let client: SqlClient;
let store: PgStore;
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

/** The JSON log lines of a replica with the given message. */
function logLines(main: MainProcess, msg: string): Array<Record<string, unknown>> {
  return main
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.msg === msg);
}

beforeAll(async () => {
  api = await FakeBotApi.start();
  postgres = await startRealPostgres();
  redis = await startRedisServer();
  client = createPgClient(postgres.url);
  store = createPgStore({ client });
  root = await mkdtemp(path.join(tmpdir(), 'real-pg-replicas-'));
  reportsDir = await writeReports(path.join(root, 'reports'), false);
  await store.build({ reportsDir, embedder: await getOfflineEmbedder(), englishRanks: await englishRanks(MODEL_CACHE_DIR) });
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const main = spawnMain({
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: api.apiRoot,
      WEBHOOK_URL: `https://bot.example.org${WEBHOOK_PATH}`,
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      RELOAD_POLL_MS: String(POLL_MS),
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
  await client?.close();
  await redis?.kill();
  await postgres?.stop();
  await api?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('two replicas on a real PostgreSQL with pgvector', () => {
  it('runs on a real server', () => {
    expect(postgres.version).toMatch(/^PostgreSQL \d+/);
  });

  it('switches both replicas to a new build through NOTIFY, with the poll out of the way', async () => {
    expect(replicas.every((r) => logLines(r.main, 'new index loaded').length === 0)).toBe(true);
    await writeFile(path.join(reportsDir, EXTRA_REPORT.file), EXTRA_REPORT.text);
    const summary = await store.build({ reportsDir, embedder: await getOfflineEmbedder() });
    const published = Date.now();
    for (const [n, r] of replicas.entries()) {
      const line = await api.waitFor(() => logLines(r.main, 'new index loaded')[0], SWITCH_BOUND_MS, `replica ${n} to switch through NOTIFY`);
      expect(line.build_id).toBe(summary.buildId);
      expect(line.via).toBe('notification');
    }
    expect(Date.now() - published).toBeLessThan(SWITCH_BOUND_MS);
    for (const [n, r] of replicas.entries()) {
      const id = 70_000 + n;
      expect(await post(r.port, textMessage(EXTRA_REPORT.question, { from: user(id) }))).toBe(200);
      expect(await api.waitFor(() => repliesTo(id)[0], 30_000, `replica ${n}'s answer from the new build`)).toContain(EXTRA_REPORT.fact);
    }
  }, 60_000);

  it('answers every question of a flood exactly once when Redis dies in the middle, and shares the limit again when it is back', async () => {
    const users = Array.from({ length: 24 }, (_, i) => 80_000 + i);
    const ask = (id: number, i: number): Promise<number> => post(replicas[i % 2]!.port, textMessage('What did NATO promise about air defense?', { from: user(id) }));
    const first = users.slice(0, 12).map(ask);
    await redis.kill();
    const rest = users.slice(12).map((id, i) => ask(id, i + 12));
    expect((await Promise.all([...first, ...rest])).every((s) => s === 200)).toBe(true);
    await api.waitFor(() => users.every((id) => repliesTo(id).length >= 1), 60_000, 'a reply to every user');
    await new Promise((r) => setTimeout(r, 500));
    for (const id of users) {
      expect(repliesTo(id)).toHaveLength(1);
      expect(repliesTo(id)[0]).not.toBe(UNAVAILABLE);
      expect(repliesTo(id)[0]).toMatch(/\n\d+\. /);
    }
    for (const r of replicas) expect(r.main.child.exitCode).toBeNull();
    expect(replicas.some((r) => logLines(r.main, 'rate-limit storage unavailable: limiting per replica until it is back').length > 0)).toBe(true);

    await redis.restart();
    // Shared again: a fresh user asking 6 times across both replicas gets RATE_LIMIT answers in all.
    let next = 90_000;
    const answeredOfSix = async (): Promise<number> => {
      const id = next++;
      for (let i = 0; i < 6; i++) await post(replicas[i % 2]!.port, textMessage(`What did Stoltenberg promise Ukraine? ${i}`, { from: user(id) }));
      await api.waitFor(() => repliesTo(id).includes(LIMITED) || repliesTo(id).length >= 6, 30_000, 'answers and a limit note');
      await new Promise((r) => setTimeout(r, 500));
      return repliesTo(id).filter((t) => t !== LIMITED).length;
    };
    await expect.poll(answeredOfSix, { timeout: 60_000, interval: 500 }).toBe(LIMIT);
    for (const r of replicas) expect(r.main.child.exitCode).toBeNull();
  }, 150_000);

  it('replies "temporarily unavailable" while PostgreSQL is down mid-flood, stays up, and recovers when it is back', async () => {
    const ask = (id: number, i: number): Promise<number> => post(replicas[i % 2]!.port, textMessage('What did NATO promise about air defense?', { from: user(id) }));
    const before = Array.from({ length: 8 }, (_, i) => 100_000 + i);
    const during = Array.from({ length: 8 }, (_, i) => 100_100 + i);
    const sent = before.map(ask);
    await postgres.crash();
    expect((await Promise.all([...sent, ...during.map(ask)])).every((s) => s === 200)).toBe(true);
    const all = [...before, ...during];
    await api.waitFor(() => all.every((id) => repliesTo(id).length >= 1), 60_000, 'a reply to every user');
    await new Promise((r) => setTimeout(r, 500));
    for (const id of all) {
      expect(repliesTo(id)).toHaveLength(1);
      expect(repliesTo(id)[0] === UNAVAILABLE || /\n\d+\. /.test(repliesTo(id)[0] ?? '')).toBe(true);
    }
    // Asked after the server was gone: none of these can be answered from the database.
    for (const id of during) expect(repliesTo(id)[0]).toBe(UNAVAILABLE);
    for (const r of replicas) expect(r.main.child.exitCode).toBeNull();

    await postgres.restart();
    for (const [n, r] of replicas.entries()) {
      let attempt = 0;
      const answered = async (): Promise<boolean> => {
        const id = 110_000 + n * 100 + attempt++;
        await post(r.port, textMessage('What did NATO promise about air defense?', { from: user(id) }));
        return (await api.waitFor(() => repliesTo(id)[0], 30_000, `replica ${n}'s reply after recovery`)) !== UNAVAILABLE;
      };
      await expect.poll(answered, { timeout: 30_000, interval: 500 }).toBe(true);
      expect(r.main.child.exitCode).toBeNull();
    }
  }, 150_000);
});
