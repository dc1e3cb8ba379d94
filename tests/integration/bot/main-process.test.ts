/**
 * `src/main.ts` with a token, against the fake Bot API: answers over long polling, then SIGTERM
 * stops it cleanly with exit code 0 and the token never appears in its output.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeBotApi } from '../../helpers/fake-bot-api';
import { MODEL_CACHE_DIR } from '../../helpers/offline-embedder';
import { useTempDirs } from '../../helpers/temp-dir';
import { TEST_TOKEN, textMessage, user } from '../../helpers/updates';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

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
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        TELEGRAM_BOT_TOKEN: TEST_TOKEN,
        TELEGRAM_API_ROOT: fake.apiRoot,
        REPORTS_DIR: 'seeds',
        INDEX_DIR: indexDir,
        EMBEDDING_MODEL: 'offline',
        MODEL_CACHE_DIR,
        LOG_LEVEL: 'debug',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await fake.waitFor(() => fake.callsOf('getUpdates').length > 0, 60_000, 'the bot to start polling');
      expect(fake.calls.slice(0, 3).map((c) => c.method)).toEqual(['getMe', 'deleteWebhook', 'setMyCommands']);
      fake.enqueue(textMessage('What did NATO promise about air defense?', { from: user(401) }));
      const answer = await fake.waitFor(() => fake.okCalls('sendMessage')[0], 20_000, 'the answer');
      expect(answer.payload.text).toMatch(/\nReport \d{3} · .+ · ¶\d+/);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    expect(output).toContain('polling stopped');
    expect(output).not.toContain(TEST_TOKEN);
    expect(output).not.toMatch(/\n\s+at /);
  }, 120_000);
});
