import { HttpError, type Transformer } from 'grammy';
import { describe, expect, it } from 'vitest';
import { createApiHealth, retryDelayMs, retryNetworkErrors, RETRY_MAX_DELAY_MS } from '../../../src/bot/api-network';
import { createLogger } from '../../../src/logger';
import { captureLogs } from '../../helpers/logs';

type Prev = Parameters<Transformer>[0];
const OK = { ok: true as const, result: true };

/** A `prev` that fails with a network error `failures` times, then answers. */
function flaky(failures: number): { prev: Prev; calls: () => number } {
  let calls = 0;
  const prev = (async () => {
    calls += 1;
    if (calls <= failures) throw new HttpError('Network request failed', new Error('ECONNREFUSED'));
    return OK;
  }) as unknown as Prev;
  return { prev, calls: () => calls };
}

describe('retry back-off', () => {
  it('doubles from 0.5 s and never waits more than 5 s between tries', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map(retryDelayMs)).toEqual([500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('after a 100 s outage, the next try comes at most 5 s after the API is back', () => {
    let t = 0;
    let attempt = 0;
    const tries: number[] = [];
    while (t <= 100_000) {
      tries.push(t);
      t += retryDelayMs(attempt++);
    }
    const firstAfter = tries.find((x) => x >= 100_000) ?? t;
    expect(firstAfter - 100_000).toBeLessThanOrEqual(RETRY_MAX_DELAY_MS);
  });
});

describe('retryNetworkErrors', () => {
  it('retries network errors until the call goes through', async () => {
    const { prev, calls } = flaky(2);
    const retry = retryNetworkErrors({ budgetMs: 10_000, skip: new Set() });
    expect(await retry(prev, 'sendMessage', { chat_id: 1, text: 'x' } as never)).toEqual(OK);
    expect(calls()).toBe(3);
  });

  it('gives up when the budget is spent, and does not retry skipped methods', async () => {
    const retry = retryNetworkErrors({ budgetMs: 1000, skip: new Set(['getUpdates']) });
    const always = flaky(Infinity);
    await expect(retry(always.prev, 'sendMessage', {} as never)).rejects.toBeInstanceOf(HttpError);
    expect(always.calls()).toBe(2);
    const skipped = flaky(Infinity);
    await expect(retry(skipped.prev, 'getUpdates', {} as never)).rejects.toBeInstanceOf(HttpError);
    expect(skipped.calls()).toBe(1);
  });

  it('stops at once when the caller aborts', async () => {
    const retry = retryNetworkErrors({ budgetMs: 60_000, skip: new Set() });
    const always = flaky(Infinity);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    const started = performance.now();
    await expect(retry(always.prev, 'getMe', {} as never, abort.signal as never)).rejects.toBeInstanceOf(HttpError);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('API health', () => {
  it('logs one warning when the API stops answering, reports it, and logs when it is back', async () => {
    const logs = captureLogs();
    const health = createApiHealth({ logger: createLogger({ level: 'info', destination: logs.stream }), apiRoot: 'http://127.0.0.1:9' });
    const down = flaky(Infinity).prev;
    expect(health.status()).toEqual({ reachable: true, unreachableSince: null, lastError: null });
    for (let i = 0; i < 3; i++) await expect(health.transformer(down, 'getUpdates', {} as never)).rejects.toBeInstanceOf(HttpError);
    expect(health.status()).toMatchObject({ reachable: false, unreachableSince: expect.any(String), lastError: 'Network request failed' });
    await health.transformer(flaky(0).prev, 'getUpdates', {} as never);
    expect(health.status().reachable).toBe(true);
    const messages = logs.lines.map((l) => JSON.parse(l).msg as string);
    expect(messages).toEqual(['Could not reach the Telegram Bot API at http://127.0.0.1:9; retrying every few seconds', 'Telegram Bot API reachable again']);
  });
});
