/**
 * `src/main.ts` with a token, against the fake Bot API: answers over long polling or, with
 * WEBHOOK_URL, as a webhook server; SIGTERM stops it cleanly with exit code 0, and neither the token
 * nor the webhook secret appears in its output.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeBotApi } from '../../helpers/fake-bot-api';
import { spawnMain } from '../../helpers/main-process';
import { useTempDirs } from '../../helpers/temp-dir';
import { TEST_TOKEN, textMessage, user } from '../../helpers/updates';

/** A port that was free a moment ago (the child process must bind it itself). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('main process in bot mode', () => {
  const tempDir = useTempDirs();
  let api: FakeBotApi | null = null;

  afterEach(async () => {
    await api?.close();
    api = null;
  });

  it('answers a question, then exits 0 on SIGTERM without logging the token', async () => {
    api = await FakeBotApi.start({ maxPollMs: 500 });
    const fake = api;
    const indexDir = await tempDir('main-bot-index-');
    const main = spawnMain({
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      REPORTS_DIR: 'seeds',
      INDEX_DIR: indexDir,
      LOG_LEVEL: 'debug',
    });
    try {
      await fake.waitFor(() => fake.callsOf('getUpdates').length > 0, 60_000, 'the bot to start polling');
      expect(fake.calls.slice(0, 5).map((c) => c.method)).toEqual(['getMe', 'deleteWebhook', 'setMyCommands', 'setMyCommands', 'setMyCommands']);
      fake.enqueue(textMessage('What did NATO promise about air defense?', { from: user(401) }));
      const answer = await fake.waitFor(() => fake.okCalls('sendMessage')[0], 20_000, 'the answer');
      expect(answer.payload.text).toMatch(/\n\d+\. Report \d{3} · .+ · ¶\d+/);
      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
    } finally {
      main.kill();
    }
    expect(main.output()).toContain('polling stopped');
    expect(main.output()).not.toContain(TEST_TOKEN);
    expect(main.output()).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('serves a webhook when WEBHOOK_URL is set: checks the secret, answers, reports health, exits 0', async () => {
    api = await FakeBotApi.start();
    const fake = api;
    const indexDir = await tempDir('main-webhook-index-');
    const port = await freePort();
    const secret = 'webhook-secret-for-tests';
    const main = spawnMain({
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      WEBHOOK_URL: 'https://bot.example.test/telegram',
      WEBHOOK_SECRET: secret,
      PORT: String(port),
      REPORTS_DIR: 'seeds',
      INDEX_DIR: indexDir,
      LOG_LEVEL: 'debug',
    });
    const post = (headers: Record<string, string>) =>
      fetch(`http://127.0.0.1:${port}/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(textMessage('What did NATO promise about air defense?', { from: user(402) })),
      });
    try {
      const hooked = await fake.waitFor(() => fake.okCalls('setWebhook')[0], 60_000, 'the bot to set its webhook');
      expect(hooked.payload).toMatchObject({ url: 'https://bot.example.test/telegram', secret_token: secret });
      await fake.waitFor(() => fake.okCalls('setMyCommands')[0], 10_000, 'the command menu');
      expect(fake.callsOf('getUpdates')).toHaveLength(0);

      expect((await post({})).status).toBe(401);
      expect((await post({ 'x-telegram-bot-api-secret-token': 'wrong' })).status).toBe(401);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        ok: true,
        reports: 5,
        model: 'offline/glove-sif-100d',
        telegram_api: { reachable: true, unreachableSince: null },
      });
      expect(fake.okCalls('sendMessage')).toHaveLength(0);

      expect((await post({ 'x-telegram-bot-api-secret-token': secret })).status).toBe(200);
      const answer = await fake.waitFor(() => fake.okCalls('sendMessage')[0], 20_000, 'the answer');
      expect(answer.payload.text).toMatch(/\n\d+\. Report \d{3} · .+ · ¶\d+/);
      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
    } finally {
      main.kill();
    }
    expect(main.output()).not.toContain(TEST_TOKEN);
    expect(main.output()).not.toContain(secret);
    expect(main.output()).not.toMatch(/\n\s+at /);
  }, 120_000);
});
