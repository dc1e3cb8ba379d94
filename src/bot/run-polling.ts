/**
 * Long polling. Updates are fetched with getUpdates and handled by a fair queue: round-robin
 * across chats, in order within a chat, so one busy chat never holds up the others. Network
 * errors and API outages are retried with a capped back-off, forever (polling resumes within
 * seconds of the API coming back). Start-up gives up after a bounded time without the API.
 *
 * Stopping (SIGTERM/SIGINT): no more fetching, then the queue keeps answering until it is empty
 * or the drain deadline passes. Telegram counts an update as delivered once the bot has asked for
 * the next ones, so updates still unanswered at the deadline are saved to `pendingFile` and
 * answered first after the restart; nothing is sent after the deadline.
 */
import { setMaxListeners } from 'node:events';
import { BotError, GrammyError, HttpError, type Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { wordsFor } from '../i18n/words';
import type { Logger } from '../logger';
import { abortOnShutdown, apiSignal, pause, retryDelayMs } from './api-network';
import { registerCommands } from './commands';
import type { BotContext } from './context';
import { createFairQueue } from './fair-queue';
import { clearPendingUpdates, readPendingUpdates, writePendingUpdates } from './pending-updates';

export interface PollingOptions {
  logger: Logger;
  /** Updates handled at once, across chats (one per chat at a time). */
  concurrency?: number;
  /** getUpdates long-poll timeout in seconds. */
  pollTimeoutSeconds?: number;
  /** How long stop() keeps answering before it gives up on the rest. */
  drainTimeoutMs?: number;
  /** How long start-up (getMe, deleteWebhook, command menu) may wait for an unreachable API. */
  startupTimeoutMs?: number;
  /** Where updates unanswered at stop are kept for the next start; null keeps none. */
  pendingFile?: string | null;
  /** Updates fetched but not yet answered, at most; polling waits while there are more. */
  maxPending?: number;
}

export interface PollingHandle {
  /** Stops fetching, answers what it can until the drain deadline, saves the rest; resolves when done. */
  stop(): Promise<void>;
  /** Settles once stop() has finished; rejects if polling failed for good (token revoked, 409 conflict). */
  readonly task: Promise<void>;
}

// Handlers that run at once; each holds a search and its API calls. 200 measured best on 2 cores with
// scripts/bench-bot.ts (tried 25-1000) when waiting updates still held slots; with the fair queue only
// running ones do.
export const DEFAULT_CONCURRENCY = 200;
// Telegram's recommended long-poll duration.
const DEFAULT_POLL_TIMEOUT_SECONDS = 30;
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;
export const DEFAULT_STARTUP_TIMEOUT_MS = 60_000;
// A few KB per update: bounds memory while still reading far past one flooding chat.
const DEFAULT_MAX_PENDING = 5000;
// A long poll that has not answered this long after its timeout is stuck (a dead connection).
const POLL_GRACE_SECONDS = 10;
// After the drain deadline, handlers fail fast (their API calls are aborted); wait this long for them.
const ABORT_SETTLE_MS = 2000;
const FULL_QUEUE_WAIT_MS = 50;
const ALLOWED_UPDATES = ['message', 'callback_query', 'inline_query'] as const;
const NOT_LINKED_TO_SHUTDOWN = new Set(['getUpdates']);

/** The queue key of an update: its chat, else its user (inline queries), else itself. */
export function updateKey(update: Update): string {
  const chat = update.message?.chat.id ?? update.callback_query?.message?.chat.id;
  if (chat !== undefined) return `chat:${chat}`;
  const from = update.inline_query?.from.id ?? update.callback_query?.from.id;
  return from !== undefined ? `user:${from}` : `update:${update.update_id}`;
}

/**
 * getMe unless the bot knows itself already. Not bot.init(): its own endless retries would hide the
 * network error behind "Aborted delay" when `signal` ends them.
 */
export async function initBot(bot: Bot<BotContext>, signal: Parameters<Bot['init']>[0]): Promise<void> {
  if (!bot.isInited()) bot.botInfo = await bot.api.getMe(signal);
}

/** True for getUpdates failures that retrying cannot fix. */
function isFatal(err: unknown): boolean {
  return err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404 || err.error_code === 409);
}

/**
 * Initialises the bot (getMe unless botInfo was given), removes any webhook, registers the command
 * menus, answers updates kept from the last stop, and starts polling. Rejects with the HttpError
 * when the API cannot be reached within startupTimeoutMs.
 */
export async function startPolling(bot: Bot<BotContext>, options: PollingOptions): Promise<PollingHandle> {
  const log = options.logger;
  const shutdown = new AbortController();
  // Every API call in flight listens to it (hundreds at once under load).
  setMaxListeners(0, shutdown.signal);
  bot.api.config.use(abortOnShutdown(shutdown.signal, NOT_LINKED_TO_SHUTDOWN));
  const startup = apiSignal(AbortSignal.timeout(options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS));
  await initBot(bot, startup);
  await bot.api.deleteWebhook({ drop_pending_updates: false }, startup);
  await registerCommands(bot.api, wordsFor, startup);

  let stopping = false;
  let offset = 0;
  const fetching = new AbortController();
  const pendingFile = options.pendingFile ?? null;
  const pollTimeout = options.pollTimeoutSeconds ?? DEFAULT_POLL_TIMEOUT_SECONDS;
  const maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
  const queue = createFairQueue<Update>({
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    run: async (update) => {
      try {
        await bot.handleUpdate(update);
      } finally {
        finishedReplay(update);
      }
    },
    onError: (err, update) => {
      if (err instanceof BotError) {
        Promise.resolve(bot.errorHandler(err)).catch((handlerErr: unknown) => log.error({ err: handlerErr, update_id: update.update_id }, 'error handler failed'));
      } else log.error({ err, update_id: update.update_id }, 'update could not be handled');
    },
  });

  const replayed = new Set<number>();
  const finishedReplay = (update: Update): void => {
    if (!replayed.delete(update.update_id) || replayed.size > 0 || stopping || pendingFile === null) return;
    clearPendingUpdates(pendingFile).catch((err: unknown) => log.warn({ err, file: pendingFile }, 'could not remove the answered pending updates'));
  };
  if (pendingFile !== null) {
    const kept = await readPendingUpdates(pendingFile);
    if (kept.problem !== null) log.warn({ file: pendingFile }, `ignoring kept updates: ${kept.problem}`);
    if (kept.updates.length > 0) log.info({ count: kept.updates.length, file: pendingFile }, 'answering updates kept from the last stop');
    for (const update of kept.updates) replayed.add(update.update_id);
    for (const update of kept.updates) queue.push(updateKey(update), update);
  }

  const poll = async (): Promise<void> => {
    for (let failures = 0; !stopping; ) {
      if (queue.size() >= maxPending) {
        await pause(FULL_QUEUE_WAIT_MS);
        continue;
      }
      let updates: Update[];
      try {
        const signal = AbortSignal.any([fetching.signal, AbortSignal.timeout((pollTimeout + POLL_GRACE_SECONDS) * 1000)]);
        updates = await bot.api.getUpdates({ offset, limit: 100, timeout: pollTimeout, allowed_updates: [...ALLOWED_UPDATES] }, apiSignal(signal));
      } catch (err) {
        if (stopping) return;
        if (isFatal(err)) throw err;
        const retryAfter = err instanceof GrammyError ? err.parameters.retry_after : undefined;
        const delay = retryAfter === undefined ? retryDelayMs(failures++) : retryAfter * 1000;
        // Unreachable API: the health tracker logs the outage once, not every try.
        if (!(err instanceof HttpError)) log.warn({ err, retry_in_ms: delay }, 'getUpdates failed');
        await pause(delay, fetching.signal).catch(() => undefined);
        continue;
      }
      failures = 0;
      for (const update of updates) {
        offset = Math.max(offset, update.update_id + 1);
        if (!replayed.has(update.update_id)) queue.push(updateKey(update), update);
      }
    }
  };
  const polling = poll();
  log.info({ username: bot.botInfo.username }, 'polling started');

  let finished: () => void = () => undefined;
  let failed: (err: unknown) => void = () => undefined;
  const task = new Promise<void>((resolve, reject) => {
    finished = resolve;
    failed = reject;
  });
  void task.catch(() => undefined);
  polling.catch((err: unknown) => {
    log.error({ err }, 'polling failed');
    stopping = true;
    failed(err);
  });

  const drainMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      stopping = true;
      fetching.abort();
      await polling.catch(() => undefined);
      log.info({ in_flight: queue.size(), drain_seconds: drainMs / 1000 }, 'stopping: no new updates, finishing in-flight ones');
      const drained = await Promise.race([queue.idle().then(() => true), pause(drainMs).then(() => false)]);
      const unfinished = drained ? [] : queue.unfinished();
      if (!drained) {
        queue.pause();
        shutdown.abort(new Error('the drain deadline passed'));
        await Promise.race([queue.idle(), pause(ABORT_SETTLE_MS)]);
      }
      await keep(unfinished);
      await confirmFetched();
      log.info('polling stopped');
      finished();
    })();
    return stopped;
  };

  /** Saves the unanswered updates for the next start (or removes an old file when there are none). */
  const keep = async (unfinished: Update[]): Promise<void> => {
    if (pendingFile === null) {
      if (unfinished.length > 0) log.error({ count: unfinished.length }, 'stopped with unanswered updates and no file to keep them in');
      return;
    }
    try {
      if (unfinished.length === 0) {
        await clearPendingUpdates(pendingFile);
        return;
      }
      await writePendingUpdates(pendingFile, unfinished);
      log.warn({ count: unfinished.length, file: pendingFile }, 'drain deadline passed: unanswered updates kept, they are answered after the restart');
    } catch (err) {
      log.error({ err, count: unfinished.length, file: pendingFile }, 'could not keep the unanswered updates; they are lost');
    }
  };

  // Tells Telegram the last batch was received (the aborted long poll may not have); without it, it comes back after a restart.
  const confirmFetched = async (): Promise<void> => {
    if (offset === 0) return;
    try {
      await bot.api.getUpdates({ offset, limit: 1, timeout: 0 }, apiSignal(AbortSignal.timeout(5000)));
    } catch (err) {
      log.warn({ err }, 'could not confirm the last received updates');
    }
  };

  return { stop, task };
}
