/**
 * Long polling with @grammyjs/runner: concurrent updates (ordered per chat by `sequentialize` in
 * createBot), command menu at start-up, and a graceful stop that waits for in-flight updates.
 */
import { run, type RunnerHandle } from '@grammyjs/runner';
import type { Bot } from 'grammy';
import type { Logger } from '../logger';
import { wordsFor } from '../i18n/words';
import { registerCommands } from './commands';
import type { BotContext } from './context';

export interface PollingOptions {
  logger: Logger;
  /** Updates processed at once (runner sink). */
  concurrency?: number;
  /** getUpdates long-poll timeout in seconds. */
  pollTimeoutSeconds?: number;
  /** How long stop() waits for in-flight updates. */
  drainTimeoutMs?: number;
}

export interface PollingHandle {
  /** Stops fetching, waits for in-flight updates (bounded), resolves when idle. */
  stop(): Promise<void>;
  /** Settles when the runner stops; rejects if polling failed for good (e.g. token revoked). */
  readonly task: Promise<void>;
}

// Updates waiting behind a retrying answer in the same chat (sequentialize) still hold a slot, so
// leave headroom; 200 measured best on 2 cores with scripts/bench-bot.ts (tried 25-1000).
export const DEFAULT_CONCURRENCY = 200;
// Telegram's recommended long-poll duration.
const DEFAULT_POLL_TIMEOUT_SECONDS = 30;
const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;
const DRAIN_POLL_MS = 20;
const ALLOWED_UPDATES = ['message', 'callback_query', 'inline_query'] as const;

/** Initialises the bot (getMe unless botInfo was given), registers commands and starts polling. */
export async function startPolling(bot: Bot<BotContext>, options: PollingOptions): Promise<PollingHandle> {
  const log = options.logger;
  await bot.init();
  await bot.api.deleteWebhook({ drop_pending_updates: false });
  await registerCommands(bot.api, wordsFor);
  let lastUpdateId: number | null = null;
  const adapter = {
    init: () => bot.init(),
    handleUpdate: (update: Parameters<typeof bot.handleUpdate>[0]) => {
      lastUpdateId = Math.max(lastUpdateId ?? update.update_id, update.update_id);
      return bot.handleUpdate(update);
    },
    errorHandler: bot.errorHandler,
    api: bot.api,
  };
  const runner: RunnerHandle = run(adapter, {
    runner: {
      fetch: { timeout: options.pollTimeoutSeconds ?? DEFAULT_POLL_TIMEOUT_SECONDS, allowed_updates: ALLOWED_UPDATES },
      silent: true,
    },
    sink: { concurrency: options.concurrency ?? DEFAULT_CONCURRENCY },
  });
  log.info({ username: bot.botInfo.username }, 'polling started');
  const task = runner.task() ?? Promise.resolve();
  let stopping: Promise<void> | null = null;

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      log.info({ in_flight: runner.size() }, 'stopping: no new updates, finishing in-flight ones');
      if (runner.isRunning()) await runner.stop();
      const deadline = Date.now() + (options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS);
      while (runner.size() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, DRAIN_POLL_MS));
      if (runner.size() > 0) log.warn({ in_flight: runner.size() }, 'stopped with updates still in flight');
      await confirmHandled();
      log.info('polling stopped');
    })();
    return stopping;
  };
  // The runner never acknowledges its last batch; without this Telegram redelivers it after a restart.
  const confirmHandled = async (): Promise<void> => {
    if (lastUpdateId === null) return;
    try {
      await bot.api.getUpdates({ offset: lastUpdateId + 1, limit: 1, timeout: 0 });
    } catch (err) {
      log.warn({ err }, 'could not confirm the last handled update');
    }
  };
  return { stop, task };
}
