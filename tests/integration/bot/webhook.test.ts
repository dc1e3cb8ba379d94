/**
 * The real bot (createBot + startWebhook on node:http, 127.0.0.1, ephemeral port) against the fake
 * Bot API: start-up calls, authentication, acknowledge-then-handle, per-chat order, HTTP errors,
 * health check and graceful stop.
 */
import { request } from 'node:http';
import type { Update } from 'grammy/types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { botCommands } from '../../../src/bot/commands';
import { englishWords, wordsFor } from '../../../src/i18n/words';
import { createBot } from '../../../src/bot/create-bot';
import { startWebhook, type WebhookHandle } from '../../../src/bot/run-webhook';
import { createLogger } from '../../../src/logger';
import type { Searcher } from '../../../src/search/types';
import { FakeBotApi } from '../../helpers/fake-bot-api';
import { createFakeSearcher, weeklyParagraph, type FakeSearcher } from '../../helpers/fake-searcher';
import { captureLogs } from '../../helpers/logs';
import { NO_ACCESS_LISTS, TEST_TOKEN, textMessage, user } from '../../helpers/updates';

const WEBHOOK_URL = 'https://bot.example.org/telegram/webhook';
const WEBHOOK_PATH = '/telegram/webhook';
const SECRET = 'test-webhook-secret_0123456789';
// Generous for a loaded CI runner, far below the slow search the acknowledgement must not wait for.
const ACK_BUDGET_MS = 1000;
const SLOW_SEARCH_MS = 2000;
const REQUEST_TIMEOUT_MS = 5000;

/** A fake searcher whose answers take `delayMs(question)` milliseconds. */
function delayedSearcher(delayMs: (question: string) => number): FakeSearcher {
  const inner = createFakeSearcher();
  return {
    ...inner,
    search: async (question, options) => {
      const ms = delayMs(question);
      if (ms > 0) await new Promise((r) => setTimeout(r, ms));
      return inner.search(question, options);
    },
  };
}

interface Started {
  handle: WebhookHandle;
  url: string;
}

async function startBot(
  api: FakeBotApi,
  searcher: Searcher,
  logs: ReturnType<typeof captureLogs>,
  options: { secret?: string | null; drainTimeoutMs?: number; maxInFlight?: number; extraMiddleware?: boolean } = {},
): Promise<Started> {
  const logger = createLogger({ level: 'debug', secrets: [TEST_TOKEN], destination: logs.stream });
  const bot = createBot({ token: TEST_TOKEN, apiRoot: api.apiRoot, searcher, logger, resultsPerPage: 3, rateLimit: 0, access: NO_ACCESS_LISTS });
  if (options.extraMiddleware) {
    // Reached only by updates no feature handles: stands in for a bug outside the error boundary.
    bot.use(() => {
      throw new Error('boom outside the boundary');
    });
  }
  const handle = await startWebhook(bot, {
    url: WEBHOOK_URL,
    secret: options.secret === undefined ? SECRET : options.secret,
    port: 0,
    host: '127.0.0.1',
    logger,
    health: () => ({ reports: searcher.stats().reports, passages: searcher.stats().passages }),
    drainTimeoutMs: options.drainTimeoutMs ?? 5000,
    ...(options.maxInFlight === undefined ? {} : { maxInFlight: options.maxInFlight }),
  });
  return { handle, url: `http://127.0.0.1:${handle.port}` };
}

interface Posted {
  status: number;
  ms: number;
  body: string;
}

async function post(base: string, body: unknown, init: { secret?: string | null; path?: string; method?: string; raw?: boolean } = {}): Promise<Posted> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const secret = init.secret === undefined ? SECRET : init.secret;
  if (secret !== null) headers['x-telegram-bot-api-secret-token'] = secret;
  const started = performance.now();
  const res = await fetch(`${base}${init.path ?? WEBHOOK_PATH}`, {
    method: init.method ?? 'POST',
    headers,
    ...(init.method === 'GET' || init.method === 'HEAD' ? {} : { body: init.raw ? (body as string) : JSON.stringify(body) }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  return { status: res.status, ms: performance.now() - started, body: text };
}

async function get(base: string, path: string, method = 'GET'): Promise<{ status: number; body: string; headers: Headers }> {
  const res = await fetch(`${base}${path}`, { method, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** sendMessage texts to one chat, in the order the fake API received them. */
function repliesTo(api: FakeBotApi, chatId: number): string[] {
  return api.okCalls('sendMessage').filter((c) => c.payload.chat_id === chatId).map((c) => c.payload.text as string);
}

describe('webhook against the fake Bot API', () => {
  let api: FakeBotApi;
  let started: Started;
  const logs = captureLogs();
  const slowQuestions = new Set<string>();
  const searcher = delayedSearcher((q) => (slowQuestions.has(q) ? SLOW_SEARCH_MS : 0));

  beforeAll(async () => {
    api = await FakeBotApi.start();
    started = await startBot(api, searcher, logs);
  });

  afterAll(async () => {
    await started.handle.stop();
    await api.close();
  });

  it('starts with getMe, setWebhook (url, secret, three update types) and setMyCommands, never polling', () => {
    expect(api.calls.map((c) => c.method)).toEqual(['getMe', 'setWebhook', 'setMyCommands', 'setMyCommands', 'setMyCommands']);
    expect(api.calls[1]!.payload).toEqual({
      url: WEBHOOK_URL,
      secret_token: SECRET,
      allowed_updates: ['message', 'callback_query', 'inline_query'],
    });
    expect(api.calls[2]!.payload).toEqual({ commands: botCommands(englishWords()) });
    expect(api.calls[3]!.payload).toEqual({ commands: botCommands(wordsFor('uk')), language_code: 'uk' });
    expect(api.calls[4]!.payload).toEqual({ commands: botCommands(wordsFor('ru')), language_code: 'ru' });
    expect(started.handle.secret).toBe(SECRET);
  });

  it('acknowledges an update at once and answers after the slow search', async () => {
    const question = 'How many Peklo cruise missiles were produced?';
    slowQuestions.add(question);
    const update = textMessage(question, { from: user(501) });
    const res = await post(started.url, update);
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(ACK_BUDGET_MS);
    expect(repliesTo(api, 501)).toEqual([]);
    const answer = await api.waitFor(() => api.okCalls('sendMessage').find((c) => c.payload.chat_id === 501), 10_000, 'the answer');
    const p3 = weeklyParagraph(3);
    expect(answer.payload.text.startsWith(`${p3.text}\n1. Report 003 · Weekly roundup · ¶3`)).toBe(true);
    expect(answer.payload.reply_parameters).toEqual({ message_id: update.message.message_id, allow_sending_without_reply: true });
  });

  it('keeps per-chat order while other chats go ahead', async () => {
    const slow = 'Peklo cruise missile series production?';
    slowQuestions.add(slow);
    const statuses = [
      (await post(started.url, textMessage(slow, { from: user(502) }))).status,
      (await post(started.url, textMessage('Which sanctions package did the EU adopt?', { from: user(502) }))).status,
      (await post(started.url, textMessage('Which sanctions package did the EU adopt?', { from: user(503) }))).status,
    ];
    expect(statuses).toEqual([200, 200, 200]);
    await api.waitFor(() => repliesTo(api, 502).length === 2, 10_000, 'both answers in chat 502');
    const [first, second] = repliesTo(api, 502);
    expect(first!.startsWith(weeklyParagraph(3).text)).toBe(true);
    expect(second!.startsWith(weeklyParagraph(4).text)).toBe(true);
    const order = api.okCalls('sendMessage').map((c) => c.payload.chat_id as number);
    expect(order.indexOf(503)).toBeLessThan(order.indexOf(502));
  });

  it('answers a redelivered update (same update_id) only once', async () => {
    const update = textMessage('Which sanctions package did the EU adopt?', { from: user(504) });
    expect((await post(started.url, update)).status).toBe(200);
    expect((await post(started.url, update)).status).toBe(200);
    await api.waitFor(() => repliesTo(api, 504).length === 1, 5000, 'the answer');
    await sleep(200);
    expect(repliesTo(api, 504)).toHaveLength(1);
  });

  it('rejects a missing or wrong secret with 401 and touches nothing', async () => {
    const mark = api.calls.length;
    const searches = searcher.calls.length;
    const missing = await post(started.url, textMessage('Peklo?', { from: user(505) }), { secret: null });
    const wrong = await post(started.url, textMessage('Peklo?', { from: user(505) }), { secret: `${SECRET}x` });
    const empty = await post(started.url, textMessage('Peklo?', { from: user(505) }), { secret: '' });
    expect([missing.status, wrong.status, empty.status]).toEqual([401, 401, 401]);
    await sleep(200);
    expect(api.calls.length).toBe(mark);
    expect(searcher.calls.length).toBe(searches);
  });

  it('refuses malformed, non-update and oversized bodies', async () => {
    const mark = api.calls.length;
    expect((await post(started.url, '{"update_id": 1, "message": ', { raw: true })).status).toBe(400);
    expect((await post(started.url, { message: { text: 'no update id' } })).status).toBe(400);
    expect((await post(started.url, [1, 2, 3])).status).toBe(400);
    expect((await post(started.url, { update_id: -1 })).status).toBe(400);
    const big = textMessage('x'.repeat(2 * 1024 * 1024), { from: user(506) });
    expect((await post(started.url, big)).status).toBe(413);
    expect(await postChunked(started.url, 2 * 1024 * 1024)).toBe(413);
    await sleep(100);
    expect(api.calls.length).toBe(mark);
  });

  it('answers 404 for unknown paths and 405 for wrong methods', async () => {
    expect((await post(started.url, { update_id: 1 }, { path: '/other' })).status).toBe(404);
    expect((await get(started.url, '/')).status).toBe(404);
    const getWebhook = await get(started.url, WEBHOOK_PATH);
    expect(getWebhook.status).toBe(405);
    expect(getWebhook.headers.get('allow')).toBe('POST');
    expect((await post(started.url, {}, { path: '/healthz' })).status).toBe(405);
  });

  it('serves /healthz with the extra health data', async () => {
    const res = await get(started.url, '/healthz');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(res.body)).toEqual({ ok: true, reports: 2, passages: 6, in_flight: expect.any(Number) });
    expect((await get(started.url, '/healthz?probe=lb', 'HEAD')).status).toBe(200);
  });

  it('tells the user about a failed search and keeps serving', async () => {
    searcher.failNext(new Error('disk on fire'));
    expect((await post(started.url, textMessage('Peklo cruise missile?', { from: user(507) }))).status).toBe(200);
    expect((await post(started.url, textMessage('Peklo cruise missile?', { from: user(507) }))).status).toBe(200);
    await api.waitFor(() => repliesTo(api, 507).length === 2, 5000, 'both replies');
    const [sorry, answer] = repliesTo(api, 507);
    expect(sorry).toBe('Sorry, something went wrong while answering. Please try again.');
    expect(answer!.startsWith(weeklyParagraph(3).text)).toBe(true);
  });

  it('never logs the token or the webhook secret', () => {
    const all = logs.lines.join('');
    expect(all).toContain('webhook started');
    expect(all).not.toContain(TEST_TOKEN);
    expect(all).not.toContain(SECRET);
  });
});

describe('webhook start-up and shutdown', () => {
  let api: FakeBotApi;
  let started: Started | null = null;

  afterEach(async () => {
    await started?.handle.stop();
    started = null;
    await api.close();
  });

  it('generates a random secret when none is configured and registers it', async () => {
    api = await FakeBotApi.start();
    const logs = captureLogs();
    started = await startBot(api, createFakeSearcher(), logs, { secret: null });
    const secret = started.handle.secret;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(api.callsOf('setWebhook')[0]!.payload.secret_token).toBe(secret);
    expect((await post(started.url, textMessage('Peklo?', { from: user(601) }), { secret: SECRET })).status).toBe(401);
    expect((await post(started.url, textMessage('Peklo cruise missile?', { from: user(601) }), { secret })).status).toBe(200);
    await api.waitFor(() => repliesTo(api, 601).length === 1, 5000, 'the answer');
    expect(logs.lines.join('')).not.toContain(secret);
  });

  it('fails start-up when Telegram refuses setWebhook, without registering commands', async () => {
    api = await FakeBotApi.start({ refuse: ['setWebhook'] });
    await expect(startBot(api, createFakeSearcher(), captureLogs())).rejects.toMatchObject({ method: 'setWebhook', error_code: 400 });
    expect(api.calls.map((c) => c.method)).toEqual(['getMe', 'setWebhook']);
  });

  it('sends errors outside the error boundary to the bot error handler and keeps serving', async () => {
    api = await FakeBotApi.start();
    const logs = captureLogs();
    started = await startBot(api, createFakeSearcher(), logs, { extraMiddleware: true });
    const edited: Update = { update_id: 9_000_001, edited_message: { ...textMessage('edited', { from: user(602) }).message, edit_date: 1_700_000_100 } };
    expect((await post(started.url, edited)).status).toBe(200);
    await api.waitFor(() => logs.lines.some((l) => l.includes('unhandled update error') && l.includes('boom outside the boundary')), 5000, 'the error log');
    expect((await get(started.url, '/healthz')).status).toBe(200);
    expect((await post(started.url, textMessage('Peklo cruise missile?', { from: user(602) }))).status).toBe(200);
    await api.waitFor(() => repliesTo(api, 602).length === 1, 5000, 'the answer');
  });

  it('answers 503 with Retry-After when too many updates are in flight, so Telegram redelivers', async () => {
    api = await FakeBotApi.start();
    started = await startBot(api, delayedSearcher(() => 300), captureLogs(), { maxInFlight: 1 });
    expect((await post(started.url, textMessage('Peklo cruise missile?', { from: user(605) }))).status).toBe(200);
    const refused = textMessage('Peklo cruise missile?', { from: user(606) });
    const busy = await fetch(`${started.url}${WEBHOOK_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(refused),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('1');
    await api.waitFor(() => repliesTo(api, 605).length === 1, 5000, 'the first answer');
    expect((await post(started.url, refused)).status).toBe(200);
    await api.waitFor(() => repliesTo(api, 606).length === 1, 5000, 'the redelivered answer');
  });

  it('stop() finishes in-flight updates, then refuses connections and keeps the webhook set', async () => {
    api = await FakeBotApi.start();
    const logs = captureLogs();
    const handle = (await startBot(api, delayedSearcher(() => 300), logs)).handle;
    const url = `http://127.0.0.1:${handle.port}`;
    expect((await post(url, textMessage('Peklo cruise missile?', { from: user(603) }))).status).toBe(200);
    await api.waitFor(() => api.okCalls('sendChatAction').length === 1, 5000, 'work to start');
    expect(repliesTo(api, 603)).toHaveLength(0);
    await handle.stop();
    expect(repliesTo(api, 603)).toHaveLength(1);
    await expect(handle.task).resolves.toBeUndefined();
    await expect(fetch(`${url}/healthz`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })).rejects.toThrow();
    expect(api.callsOf('deleteWebhook')).toHaveLength(0);
    expect(logs.lines.join('')).toContain('webhook stopped');
  });

  it('stop() is bounded when an update never finishes', async () => {
    api = await FakeBotApi.start();
    const logs = captureLogs();
    const handle = (await startBot(api, delayedSearcher(() => 3000), logs, { drainTimeoutMs: 200 })).handle;
    const url = `http://127.0.0.1:${handle.port}`;
    expect((await post(url, textMessage('Peklo cruise missile?', { from: user(604) }))).status).toBe(200);
    await api.waitFor(() => api.okCalls('sendChatAction').length === 1, 5000, 'work to start');
    const began = performance.now();
    await handle.stop();
    expect(performance.now() - began).toBeLessThan(1500);
    expect(logs.lines.join('')).toContain('stopped with updates still in flight');
  });
});

/** POSTs `bytes` of body in chunks without Content-Length; resolves with the status. */
function postChunked(base: string, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${WEBHOOK_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET, 'transfer-encoding': 'chunked' },
      timeout: REQUEST_TIMEOUT_MS,
    });
    req.once('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('timeout', () => req.destroy(new Error('timed out')));
    req.once('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const write = (): void => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}
