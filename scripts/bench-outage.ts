/**
 * Outage recovery (not a test): the real bot polls a fake Bot API that goes away for a while
 * (every connection dropped), with a question sent during the outage. Reports how long after the
 * API came back polling resumed and the question was answered.
 *
 *   npx tsx scripts/bench-outage.ts [--seconds 100]
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createApiHealth, RETRY_MAX_DELAY_MS } from '../src/bot/api-network';
import { createBot } from '../src/bot/create-bot';
import { startPolling } from '../src/bot/run-polling';
import { describeError } from '../src/errors';
import { createLogger } from '../src/logger';
import type { Searcher } from '../src/search/types';
import { FakeBotApi } from '../tests/helpers/fake-bot-api';
import { NO_ACCESS_LISTS, TEST_TOKEN, textMessage, user } from '../tests/helpers/updates';

export interface OutageBenchResult {
  outageSeconds: number;
  /** From the API's return to the first getUpdates it answered. */
  pollingResumedAfterSeconds: number;
  /** From the API's return to the answer to the question asked during the outage. */
  answeredAfterSeconds: number;
  maxSecondsBetweenTries: number;
}

/** Runs one outage of `outageSeconds` against `searcher`'s bot and measures the recovery. */
export async function runOutageBench(searcher: Searcher, outageSeconds = 100): Promise<OutageBenchResult> {
  // Long polls held like Telegram's (30 s), so recovery is not helped by short polls.
  const api = await FakeBotApi.start({ maxPollMs: 30_000 });
  const logger = createLogger({ level: 'silent' });
  const bot = createBot({
    token: TEST_TOKEN,
    apiRoot: api.apiRoot,
    searcher,
    logger,
    resultsPerPage: 3,
    rateLimit: 0,
    access: NO_ACCESS_LISTS,
    apiHealth: createApiHealth({ logger, apiRoot: api.apiRoot }),
  });
  const polling = await startPolling(bot, { logger });
  try {
    await api.waitFor(() => api.callsOf('getUpdates').length > 0, 10_000, 'the first poll');
    api.setDown(true);
    await new Promise((r) => setTimeout(r, 1000));
    const [asked] = api.enqueue(textMessage('How close are Russian forces to Pokrovsk?', { from: user(4242) }));
    await new Promise((r) => setTimeout(r, outageSeconds * 1000 - 1000));
    const backAt = performance.now();
    api.setDown(false);
    const timeout = RETRY_MAX_DELAY_MS + 60_000;
    const poll = await api.waitFor(() => api.okCalls('getUpdates').find((c) => c.at >= backAt), timeout, 'polling to resume');
    const answer = await api.waitFor(
      () => api.okCalls('sendMessage').find((c) => c.payload.reply_parameters?.message_id === asked!.message!.message_id),
      timeout,
      'the answer',
    );
    const seconds = (at: number): number => Math.round((at - backAt) / 10) / 100;
    return {
      outageSeconds,
      pollingResumedAfterSeconds: seconds(poll.at),
      answeredAfterSeconds: seconds(answer.at),
      maxSecondsBetweenTries: RETRY_MAX_DELAY_MS / 1000,
    };
  } finally {
    await polling.stop();
    await api.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string' } } });
  const { createFakeSearcher } = await import('../tests/helpers/fake-searcher');
  const result = await runOutageBench(createFakeSearcher(), values.seconds === undefined ? 100 : Number(values.seconds));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${describeError(err)}\n`);
    process.exitCode = 1;
  });
}
