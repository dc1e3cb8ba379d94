/**
 * SIGTERM with answers in flight, on `src/main.ts` against the fake Bot API: what can be answered
 * before the drain deadline is answered, the rest is kept and answered after the restart. 0 lost.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Message } from 'grammy/types';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeBotApi } from '../../helpers/fake-bot-api';
import { spawnMain, type MainProcess } from '../../helpers/main-process';
import { useTempDirs } from '../../helpers/temp-dir';
import { TEST_TOKEN, textMessage, user } from '../../helpers/updates';

const QUESTIONS = [
  'What did NATO promise about air defense?',
  'How close are Russian forces to Pokrovsk?',
  'What is the Peklo cruise missile?',
  'How many North Korean troops were wounded?',
];
const IN_FLIGHT = 40;

/** For each asked message, how many answers replied to it. */
function answersPer(api: FakeBotApi, asked: Message[]): number[] {
  const replies = api.okCalls('sendMessage').map((c) => c.payload.reply_parameters?.message_id as number | undefined);
  return asked.map((m) => replies.filter((id) => id === m.message_id).length);
}

describe('restart with questions in flight', () => {
  const tempDir = useTempDirs();
  let api: FakeBotApi | null = null;
  const mains: MainProcess[] = [];

  afterEach(async () => {
    for (const main of mains.splice(0)) main.kill();
    await api?.close();
    api = null;
  });

  async function startMain(fake: FakeBotApi, env: Record<string, string>): Promise<MainProcess> {
    const main = spawnMain({ TELEGRAM_BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: fake.apiRoot, REPORTS_DIR: 'seeds', LOG_LEVEL: 'info', ...env });
    mains.push(main);
    await fake.waitFor(() => fake.callsOf('getUpdates').length > 0, 60_000, 'the bot to start polling');
    return main;
  }

  function ask(fake: FakeBotApi): Message[] {
    const updates = Array.from({ length: IN_FLIGHT }, (_, i) => textMessage(QUESTIONS[i % QUESTIONS.length]!, { from: user(800 + i) }));
    return fake.enqueue(...updates).map((u) => u.message!);
  }

  it('loses 0 of 40 questions stuck in 429/5xx back-off past the drain deadline: they are answered after the restart', async () => {
    const fake = (api = await FakeBotApi.start({
      maxPollMs: 500,
      // Every answer fails: 429s asking for 30 s (longer than the drain) and 500s (auto-retry backs off).
      faults: { rateLimitFraction: 0.6, serverErrorFraction: 0.4, retryAfterSeconds: 30, methods: ['sendMessage'] },
    }));
    const env = { INDEX_DIR: await tempDir('restart-index-'), STATE_DIR: await tempDir('restart-state-'), DRAIN_TIMEOUT_SECONDS: '2' };
    const first = await startMain(fake, env);
    const asked = ask(fake);
    await fake.waitFor(() => fake.callsOf('sendMessage').length >= IN_FLIGHT, 30_000, 'every answer to be tried');
    expect(fake.okCalls('sendMessage')).toHaveLength(0);
    const outcomes = new Set(fake.callsOf('sendMessage').map((c) => c.outcome));
    expect(outcomes).toEqual(new Set(['rate-limited', 'server-error']));

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('unanswered updates kept');
    const pendingFile = path.join(env.STATE_DIR, 'pending-updates.json');
    expect(existsSync(pendingFile)).toBe(true);
    const triedBeforeRestart = fake.callsOf('sendMessage').length;

    fake.setFaults(undefined);
    const second = await startMain(fake, env);
    await fake.waitFor(() => answersPer(fake, asked).every((n) => n > 0), 30_000, 'every question to be answered after the restart');
    expect(answersPer(fake, asked)).toEqual(asked.map(() => 1));
    // Nothing was sent by the first process after its deadline.
    expect(fake.callsOf('sendMessage').slice(triedBeforeRestart).every((c) => c.outcome === 'ok')).toBe(true);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(existsSync(pendingFile)).toBe(false);
    expect(second.output()).not.toContain(TEST_TOKEN);
  }, 150_000);

  it('answers everything in flight before exiting when the back-off ends within the drain deadline', async () => {
    // The first 20 answers get a 429 asking for 2 s; their retries go through.
    const fake = (api = await FakeBotApi.start({ maxPollMs: 500, faults: { retryAfterSeconds: 2 } }));
    for (let i = 0; i < 20; i++) fake.failNext('sendMessage', 'rate-limited');
    const env = { INDEX_DIR: await tempDir('drain-index-'), STATE_DIR: await tempDir('drain-state-') };
    const main = await startMain(fake, env);
    const asked = ask(fake);
    await fake.waitFor(() => fake.callsOf('sendMessage').some((c) => c.outcome === 'rate-limited'), 30_000, 'a 429');
    const answeredBeforeSignal = answersPer(fake, asked).filter((n) => n > 0).length;
    main.child.kill('SIGTERM');
    expect(await main.exited).toBe(0);
    expect(answeredBeforeSignal).toBeLessThan(IN_FLIGHT);
    expect(answersPer(fake, asked)).toEqual(asked.map(() => 1));
    expect(existsSync(path.join(env.STATE_DIR, 'pending-updates.json'))).toBe(false);
    expect(main.output()).toContain('polling stopped');
  }, 150_000);
});
