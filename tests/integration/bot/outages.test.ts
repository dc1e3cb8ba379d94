/**
 * The bot against a misbehaving fake Bot API: a chat action that never returns, an outage while
 * polling, and an API that cannot be reached at start-up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApiHealth } from '../../../src/bot/api-network';
import { createBot } from '../../../src/bot/create-bot';
import { startPolling, type PollingHandle } from '../../../src/bot/run-polling';
import { createLogger } from '../../../src/logger';
import { FakeBotApi } from '../../helpers/fake-bot-api';
import { createFakeSearcher, weeklyParagraph } from '../../helpers/fake-searcher';
import { captureLogs } from '../../helpers/logs';
import { spawnMain } from '../../helpers/main-process';
import { useTempDirs } from '../../helpers/temp-dir';
import { NO_ACCESS_LISTS, TEST_TOKEN, textMessage, user } from '../../helpers/updates';

describe('a misbehaving Bot API', () => {
  let api: FakeBotApi | null = null;
  let polling: PollingHandle | null = null;
  const tempDir = useTempDirs();

  afterEach(async () => {
    await polling?.stop();
    polling = null;
    await api?.close();
    api = null;
  });

  async function start(fake: FakeBotApi, logs = captureLogs()): Promise<PollingHandle> {
    const logger = createLogger({ level: 'info', secrets: [TEST_TOKEN], destination: logs.stream });
    const apiHealth = createApiHealth({ logger, apiRoot: fake.apiRoot });
    const bot = createBot({ token: TEST_TOKEN, apiRoot: fake.apiRoot, searcher: createFakeSearcher(), logger, resultsPerPage: 3, rateLimit: 0, access: NO_ACCESS_LISTS, apiHealth });
    return startPolling(bot, { logger, pollTimeoutSeconds: 1, drainTimeoutMs: 2000 });
  }

  it('answers while the typing action hangs: the chat action runs beside the search', async () => {
    const fake = (api = await FakeBotApi.start({ maxPollMs: 300, hang: ['sendChatAction'] }));
    polling = await start(fake);
    fake.enqueue(textMessage('How many Peklo cruise missiles were produced?', { from: user(701) }));
    const answer = await fake.waitFor(() => fake.okCalls('sendMessage')[0], 5000, 'the answer while the chat action hangs');
    expect(answer.payload.text.startsWith(weeklyParagraph(3).text)).toBe(true);
    expect(fake.callsOf('sendChatAction').map((c) => c.outcome)).toEqual(['hung']);
  });

  it('keeps polling through an outage, logs it once, and answers what was asked meanwhile', async () => {
    const fake = (api = await FakeBotApi.start({ maxPollMs: 300 }));
    const logs = captureLogs();
    polling = await start(fake, logs);
    await fake.waitFor(() => fake.callsOf('getUpdates').length > 0, 5000, 'polling');
    fake.setDown(true);
    fake.enqueue(textMessage('Which sanctions package did the EU adopt?', { from: user(702) }));
    await new Promise((r) => setTimeout(r, 6000));
    const pollsBefore = fake.callsOf('getUpdates').length;
    fake.setDown(false);
    const answer = await fake.waitFor(() => fake.okCalls('sendMessage')[0], 10_000, 'the answer after the outage');
    expect(answer.payload.text.startsWith(weeklyParagraph(4).text)).toBe(true);
    expect(fake.callsOf('getUpdates').length).toBeGreaterThan(pollsBefore);
    const messages = logs.lines.map((l) => JSON.parse(l).msg as string);
    expect(messages.filter((m) => m.startsWith('Could not reach the Telegram Bot API at'))).toHaveLength(1);
    expect(messages).toContain('Telegram Bot API reachable again');
  }, 30_000);

  it('exits non-zero with a clear message when the API cannot be reached at start-up', async () => {
    const fake = (api = await FakeBotApi.start());
    fake.setDown(true);
    const main = spawnMain({
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_STARTUP_TIMEOUT_SECONDS: '3',
      REPORTS_DIR: 'seeds',
      INDEX_DIR: await tempDir('unreachable-index-'),
      STATE_DIR: await tempDir('unreachable-state-'),
      LOG_LEVEL: 'warn',
    });
    try {
      expect(await main.exited).toBe(1);
    } finally {
      main.kill();
    }
    expect(main.output()).toContain(`Could not reach the Telegram Bot API at ${fake.apiRoot} (tried for 3 s).`);
    expect(main.output()).toContain('TELEGRAM_STARTUP_TIMEOUT_SECONDS');
    expect(main.output()).not.toContain(TEST_TOKEN);
    expect(main.output()).not.toMatch(/\n\s+at /);
  }, 90_000);
});
