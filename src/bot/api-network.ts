/**
 * The bot's side of a bad network: network errors are retried with a capped back-off (so work
 * resumes within seconds of the Bot API coming back, however long it was gone), the API's
 * reachability is tracked for logs and /healthz, and every call can be tied to a shutdown signal.
 * All of it as grammY API transformers.
 */
import { HttpError, type Transformer } from 'grammy';
import type { Logger } from '../logger';

/** First pause after a failed try. */
export const RETRY_MIN_DELAY_MS = 500;
// Trying again every 5 s costs one connection attempt while the API is down and bounds how late
// work resumes after it comes back (the limit is 30 s between tries).
export const RETRY_MAX_DELAY_MS = 5000;

/** The pause before try `attempt + 1` (attempt 0 = after the first failure): doubling, capped. */
export function retryDelayMs(attempt: number): number {
  return Math.min(RETRY_MAX_DELAY_MS, RETRY_MIN_DELAY_MS * 2 ** Math.min(attempt, 30));
}

/** grammY types signals with its abort-controller shim; at run time it uses Node's own. */
type ApiSignal = Parameters<Transformer>[3];

function toApiSignal(signal: AbortSignal): ApiSignal {
  return signal as unknown as ApiSignal;
}

function fromApiSignal(signal: ApiSignal): AbortSignal | undefined {
  return signal as unknown as AbortSignal | undefined;
}

/** Waits `ms`, or rejects as soon as `signal` aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface ApiReachability {
  reachable: boolean;
  /** ISO time of the first failure of the current outage; null while reachable. */
  unreachableSince: string | null;
  /** The last network error, one line; null while reachable. */
  lastError: string | null;
}

export interface ApiHealth {
  /** Observes every try (install it inside the retrying transformers). */
  transformer: Transformer;
  status(): ApiReachability;
}

/**
 * Tracks whether the Bot API answers. Logs one warning when it stops answering ("Could not reach
 * the Telegram Bot API at …") and one line when it is back, with how long it was gone.
 */
export function createApiHealth(options: { logger: Logger; apiRoot: string }): ApiHealth {
  let since: number | null = null;
  let lastError: string | null = null;
  const markFailed = (err: unknown): void => {
    lastError = err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
    if (since !== null) return;
    since = Date.now();
    options.logger.warn(
      { api_root: options.apiRoot, error: lastError },
      `Could not reach the Telegram Bot API at ${options.apiRoot}; retrying every few seconds`,
    );
  };
  const markReachable = (): void => {
    if (since === null) return;
    options.logger.info({ seconds: Math.round((Date.now() - since) / 1000) }, 'Telegram Bot API reachable again');
    since = null;
    lastError = null;
  };
  return {
    transformer: async (prev, method, payload, signal) => {
      try {
        const res = await prev(method, payload, signal);
        markReachable();
        return res;
      } catch (err) {
        if (err instanceof HttpError && !fromApiSignal(signal)?.aborted) markFailed(err);
        throw err;
      }
    },
    status: () => ({ reachable: since === null, unreachableSince: since === null ? null : new Date(since).toISOString(), lastError }),
  };
}

export interface NetworkRetryOptions {
  /** Give up on one call after this long (the caller's signal can end it sooner). */
  budgetMs: number;
  /** Methods not retried here (polling retries getUpdates itself; chat actions are cosmetic). */
  skip: ReadonlySet<string>;
}

/**
 * Retries calls that failed without an answer from the API (HttpError: connection refused, reset,
 * DNS, timeout) after retryDelayMs, until the call's signal aborts or the budget is spent; then the
 * last error is thrown. Answers with an error code (429, 5xx) are auto-retry's business.
 */
export function retryNetworkErrors(options: NetworkRetryOptions): Transformer {
  return async (prev, method, payload, signal) => {
    if (options.skip.has(method)) return prev(method, payload, signal);
    const abort = fromApiSignal(signal);
    const deadline = Date.now() + options.budgetMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await prev(method, payload, signal);
      } catch (err) {
        const delay = retryDelayMs(attempt);
        if (!(err instanceof HttpError) || abort?.aborted || Date.now() + delay >= deadline) throw err;
        await pause(delay, abort).catch(() => {
          throw err;
        });
      }
    }
  };
}

/**
 * Ties every call (except `skip`) to `shutdown`: once it aborts, calls in progress, retries
 * waiting out a 429 and new calls all fail at once, so nothing is sent after the drain deadline.
 */
export function abortOnShutdown(shutdown: AbortSignal, skip: ReadonlySet<string>): Transformer {
  return (prev, method, payload, signal) => {
    if (skip.has(method)) return prev(method, payload, signal);
    const own = fromApiSignal(signal);
    const linked = own === undefined ? shutdown : AbortSignal.any([own, shutdown]);
    return prev(method, payload, toApiSignal(linked));
  };
}

/** `signal` in the type grammY's API methods take. */
export function apiSignal(signal: AbortSignal): ApiSignal {
  return toApiSignal(signal);
}
