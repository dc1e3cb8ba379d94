/**
 * Builds the bot: API transformers (failure logging, auto-retry), per-update logger, per-chat
 * ordering, error boundary, access control and one Composer per feature. No side effects until
 * the caller starts it.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import { Bot, HttpError, type Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { botI18n } from '../i18n/words';
import type { Logger } from '../logger';
import type { Searcher } from '../search/types';
import { retryNetworkErrors, type ApiHealth } from './api-network';
import { createBuildQueue } from './build-queue';
import type { BotContext } from './context';
import { createFileDownloader } from './download-file';
import { aboutFeature } from './features/about';
import { adminFeature, type Reindex } from './features/admin';
import { askFeature } from './features/ask';
import { callbacksFeature } from './features/callbacks';
import { helpFeature } from './features/help';
import { inlineFeature } from './features/inline';
import { latestFeature } from './features/latest';
import { nonTextFeature } from './features/non-text';
import { removeReportFeature } from './features/remove-report';
import { sourcesFeature } from './features/sources';
import { uploadFeature } from './features/upload';
import { accessGuard, isRestricted, type AccessLists } from './middleware/access';
import { handleUpdateError } from './middleware/error-boundary';
import { questionRateLimit } from './middleware/rate-limit';
import type { SharedCounter } from '../store/redis-client';
import { updateLogger } from './middleware/update-logger';

export interface RetryOptions {
  /** Give up on a call after this many retries. */
  maxRetryAttempts: number;
  /** Fail instead of waiting when Telegram asks for a longer pause. */
  maxDelaySeconds: number;
}

export interface BotDeps {
  token: string;
  searcher: Searcher;
  logger: Logger;
  resultsPerPage: number;
  /** Questions per user per minute; 0 disables rate limiting. */
  rateLimit: number;
  /** Where rate-limit counts live (Redis, shared by replicas; this process's memory while it is down); default: memory. */
  rateLimitStorage?: SharedCounter;
  access: AccessLists;
  /** Bot API root (fake server in tests, self-hosted Bot API); default Telegram's. */
  apiRoot?: string | null;
  /** Skips getMe at start-up when given. */
  botInfo?: UserFromGetMe;
  /** auto-retry settings; false disables retrying (handler unit tests). */
  retry?: Partial<RetryOptions> | false;
  /** Rebuilds the index for an admin's /reindex; absent, /reindex says it is unavailable. */
  reindex?: Reindex;
  /** Minimum gap between edits of the /reindex progress message (default 1 s). */
  reindexEditIntervalMs?: number;
  /** Tracks whether the Bot API answers (logs, /healthz); created by the caller so it can read it. */
  apiHealth?: ApiHealth;
  /** The reports folder of record, where admins' uploads go; absent (or without reindex), uploads and removals are unavailable. */
  reportsDir?: string;
}

// A message delayed by more than a minute is stale; fail it and tell the user instead. Four 5xx
// retries back off 3, 6, 12 and 24 s (auto-retry doubles from 3 s), under the 30 s cap between tries.
const DEFAULT_RETRY: RetryOptions = { maxRetryAttempts: 4, maxDelaySeconds: 60 };
// An answer delayed by a network outage is still worth sending for this long; beyond it, the update fails.
const NETWORK_RETRY_BUDGET_MS = 5 * 60_000;
// Polling retries getUpdates itself (it must never give up); the typing action is cosmetic.
const NOT_RETRIED = new Set(['getUpdates', 'sendChatAction']);
// Upper bound for one API call; getUpdates long polls are shorter than this.
const API_TIMEOUT_SECONDS = 60;

/** Creates the bot with all features installed. */
export function createBot(deps: BotDeps): Bot<BotContext> {
  const bot = new Bot<BotContext>(deps.token, {
    ...(deps.botInfo === undefined ? {} : { botInfo: deps.botInfo }),
    client: {
      ...(deps.apiRoot ? { apiRoot: deps.apiRoot } : {}),
      timeoutSeconds: API_TIMEOUT_SECONDS,
    },
  });

  // Installed first = innermost: health and the log see every single try.
  if (deps.apiHealth) bot.api.config.use(deps.apiHealth.transformer);
  bot.api.config.use(logFailedCalls(deps.logger));
  if (deps.retry !== false) {
    bot.api.config.use(retryAnswers({ ...DEFAULT_RETRY, ...deps.retry }));
    bot.api.config.use(retryNetworkErrors({ budgetMs: NETWORK_RETRY_BUDGET_MS, skip: NOT_RETRIED }));
  }

  bot.use(updateLogger(deps.logger));
  bot.use(botI18n().middleware());
  bot.use(sequentialize<BotContext>((ctx) => (ctx.chat === undefined ? undefined : String(ctx.chat.id))));

  const answerDeps = { searcher: deps.searcher, resultsPerPage: deps.resultsPerPage };
  const rateLimit = questionRateLimit({
    perMinute: deps.rateLimit,
    adminUserIds: deps.access.adminUserIds,
    storage: deps.rateLimitStorage,
    onStorageChange: (available, err) => {
      if (available) deps.logger.info('rate-limit storage is back: the limit is shared by the replicas again');
      else deps.logger.warn({ err }, 'rate-limit storage unavailable: limiting per replica until it is back');
    },
  });
  const features = bot.errorBoundary(handleUpdateError);
  // Rebuilds run one at a time: /reindex, uploads and removals share this queue.
  const queue = createBuildQueue();
  const reindex = deps.reindex;
  const reportChanges = {
    searcher: deps.searcher,
    adminUserIds: deps.access.adminUserIds,
    ...(deps.reportsDir === undefined ? {} : { reportsDir: deps.reportsDir }),
    ...(reindex === undefined ? {} : { reindex }),
    queue,
    download: createFileDownloader(deps.token, deps.apiRoot),
    ...(deps.reindexEditIntervalMs === undefined ? {} : { editIntervalMs: deps.reindexEditIntervalMs }),
  };
  features.use(accessGuard(deps.access));
  features.use(helpFeature());
  features.use(removeReportFeature(reportChanges));
  features.use(sourcesFeature(deps.searcher));
  features.use(latestFeature(deps.searcher));
  features.use(aboutFeature(deps.searcher, deps.access.adminUserIds));
  features.use(
    adminFeature({
      searcher: deps.searcher,
      adminUserIds: deps.access.adminUserIds,
      reindex: reindex === undefined ? undefined : (onProgress) => queue.run(() => reindex(onProgress)),
      editIntervalMs: deps.reindexEditIntervalMs,
    }),
  );
  features.use(uploadFeature(reportChanges));
  features.use(inlineFeature(deps.searcher, rateLimit, { restricted: isRestricted(deps.access) }));
  features.use(callbacksFeature(answerDeps, rateLimit));
  features.use(askFeature(answerDeps, rateLimit));
  features.use(nonTextFeature());

  bot.catch((err) => {
    deps.logger.error({ err: err.error, update_id: err.ctx.update.update_id }, 'unhandled update error');
  });
  return bot;
}

/** Logs every failed attempt (method and Telegram's error, never the URL or token). */
function logFailedCalls(logger: Logger): Transformer {
  return async (prev, method, payload, signal) => {
    try {
      const res = await prev(method, payload, signal);
      if (!res.ok) {
        logger.warn({ method, error_code: res.error_code, description: res.description, retry_after: res.parameters?.retry_after }, 'api call failed');
      }
      return res;
    } catch (err) {
      // Network errors are retried and an outage is logged once by the API health tracker.
      if (err instanceof HttpError) logger.debug({ method, err }, 'api call failed');
      else if (!signal?.aborted) logger.warn({ method, err }, 'api call failed');
      throw err;
    }
  };
}

/** auto-retry (429 retry_after and 5xx) for API answers; network errors go to retryNetworkErrors. */
function retryAnswers(options: RetryOptions): Transformer {
  const retry = autoRetry({ ...options, rethrowInternalServerErrors: false, rethrowHttpErrors: true });
  return (prev, method, payload, signal) => (NOT_RETRIED.has(method) ? prev(method, payload, signal) : retry(prev, method, payload, signal));
}
