/**
 * Entry point: .env → config → logger → live searcher (switches to newly published index builds) →
 * Telegram bot (long polling, or a webhook server when WEBHOOK_URL is set) when a token is set,
 * console chat otherwise. Failures print one clear
 * line (plus a hint), never a stack trace.
 * Exit codes: 0 normal stop, 1 runtime failure, 2 invalid configuration.
 */
import path from 'node:path';
import dotenv from 'dotenv';
import { GrammyError, HttpError } from 'grammy';
import { openLiveSearcher, openPgStore, openSearcher, reindexLive, resolveReportsDir } from './app';
import { createApiHealth } from './bot/api-network';
import { createBot } from './bot/create-bot';
import { notifyAdmins, reloadFailedBlocks } from './bot/features/admin';
import { startPolling } from './bot/run-polling';
import { startWebhook } from './bot/run-webhook';
import { parseConfig, type Config } from './config';
import { runConsoleChat } from './console/console-chat';
import { ApiError, ConfigError, describeError } from './errors';
import { englishWords } from './i18n/words';
import { createLogger, type Logger } from './logger';
import { englishRanks } from './embed/english-ranks';
import type { PgStore } from './store/pg-store';
import { createRedisClient, type RedisClient } from './store/redis-client';

const EXIT_FAILURE = 1;
const TELEGRAM_API_ROOT = 'https://api.telegram.org';
const PENDING_UPDATES_FILE = 'pending-updates.json';
const EXIT_CONFIG = 2;

async function main(): Promise<number> {
  dotenv.config({ quiet: true });
  let config: Config;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    process.stderr.write(`${describeError(err)}\n`);
    return err instanceof ConfigError ? EXIT_CONFIG : EXIT_FAILURE;
  }
  const logger = createLogger({ level: config.logLevel, secrets: [config.botToken, config.webhook?.secret, config.databaseUrl, config.redisUrl] });
  try {
    return await run(config, logger);
  } catch (err) {
    logger.debug({ err }, 'fatal error');
    process.stderr.write(`${startupMessage(err)}\n`);
    return err instanceof ConfigError ? EXIT_CONFIG : EXIT_FAILURE;
  }
}

async function run(config: Config, logger: Logger): Promise<number> {
  const redis = config.redisUrl === null ? null : createRedisClient(config.redisUrl);
  const pg = openPgStore(config.databaseUrl, redis);
  try {
    return await serve(config, logger, pg?.store, redis ?? undefined);
  } finally {
    await pg?.client.close();
    await redis?.close();
  }
}

async function serve(config: Config, logger: Logger, store: PgStore | undefined, redis: RedisClient | undefined): Promise<number> {
  const reports = await resolveReportsDir(config.reportsDir, config.indexDir, 'REPORTS_DIR', store);
  if (reports.notice !== null) logger.warn(reports.notice);
  const reportsDir = reports.dir;
  const opened = await openSearcher({
    reportsDir,
    indexDir: config.indexDir,
    model: config.embeddingModel,
    modelCacheDir: config.modelCacheDir,
    rebuild: 'if-stale',
    store,
    onWarning: (message) => logger.warn(message),
    onNotice: (message) => logger.info(message),
  });
  const { built } = opened;
  if (built !== null) {
    logger.info({ reports: built.reports, passages: built.passages, model: built.modelId, seconds: built.seconds }, 'index built');
  }
  const stats = opened.searcher.stats();
  logger.info(
    {
      build_id: stats.buildId,
      reports: stats.reports,
      passages: stats.passages,
      model: stats.modelId,
      offline: stats.offlineModel,
      reports_dir: stats.reportsDir,
      search_profile: stats.searchProfile,
    },
    'index ready',
  );
  if (!stats.profileFitted) {
    logger.warn(
      `no search profile is fitted for ${stats.modelId}: using the ${stats.searchProfile} profile's ranker and answer-level weights; fit one with npm run eval -- fit-ranker --model ${stats.modelId} --write`,
    );
  }

  // Set once the bot exists; the searcher it serves has to be created first.
  let tellAdmins = (_err: unknown): void => {};
  const searcher = openLiveSearcher(opened, {
    indexDir: config.indexDir,
    store,
    pollMs: config.reloadPollMs,
    onReload: (info) => logger.info({ build_id: info.stats.buildId, passages: info.stats.passages, ms: info.ms, via: info.via }, 'new index loaded'),
    onReloadError: (err, buildDir) => {
      logger.error({ err, build_dir: buildDir }, `new index not loaded, keeping the old one: ${describeError(err)}`);
      tellAdmins(err);
    },
  });
  try {
    const token = config.botToken;
    if (token === null) {
      logger.info('no TELEGRAM_BOT_TOKEN: console mode');
      const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
      await runConsoleChat({
        searcher,
        input: process.stdin,
        output: process.stdout,
        interactive,
        ansi: interactive,
        resultsPerPage: config.resultsPerPage,
      });
      return 0;
    }

    const apiRoot = config.apiRoot ?? TELEGRAM_API_ROOT;
    const apiHealth = createApiHealth({ logger, apiRoot });
    const bot = createBot({
      token,
      apiHealth,
      apiRoot: config.apiRoot,
      searcher,
      logger,
      resultsPerPage: config.resultsPerPage,
      rateLimit: config.rateLimit,
      rateLimitStorage: redis,
      access: { allowedUserIds: config.allowedUserIds, allowedChatIds: config.allowedChatIds, adminUserIds: config.adminUserIds },
      reindex: async (onProgress) =>
        reindexLive(
          searcher,
          { reportsDir, indexDir: config.indexDir, embedder: opened.embedder, englishRanks: await englishRanks(config.modelCacheDir), store },
          onProgress,
        ),
      reportsDir,
    });
    tellAdmins = (err) => void notifyAdmins(bot.api, config.adminUserIds, reloadFailedBlocks(err, searcher.stats().buildId, englishWords()), logger);
    const webhook = config.webhook;
    const handle =
      webhook === null
        ? await startPolling(bot, {
            logger,
            drainTimeoutMs: config.drainTimeoutMs,
            startupTimeoutMs: config.startupTimeoutMs,
            pendingFile: path.join(config.stateDir, PENDING_UPDATES_FILE),
          }).catch(unreachable(apiRoot, config.startupTimeoutMs))
        : await startWebhook(bot, {
            url: webhook.url,
            secret: webhook.secret,
            port: webhook.port,
            logger,
            drainTimeoutMs: config.drainTimeoutMs,
            startupTimeoutMs: config.startupTimeoutMs,
            health: () => {
              const s = searcher.stats();
              return { build_id: s.buildId, reports: s.reports, passages: s.passages, model: s.modelId, telegram_api: apiHealth.status() };
            },
          }).catch(unreachable(apiRoot, config.startupTimeoutMs));
    return await serveUntilStopped(handle, logger);
  } finally {
    await searcher.close();
  }
}

/**
 * Serves updates (long polling or webhook) until SIGINT/SIGTERM, then waits for the whole stop
 * (drain included) and exits 0; exits 1 when serving fails for good. A second signal during the
 * drain ends the process at once (Node's default).
 */
async function serveUntilStopped(serving: { stop(): Promise<void>; task: Promise<void> }, logger: Logger): Promise<number> {
  let stopping: Promise<number> | null = null;
  const signalled = new Promise<number>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      logger.info({ signal }, 'shutting down');
      stopping = serving.stop().then(
        () => 0,
        () => EXIT_FAILURE,
      );
      resolve(stopping);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  const crashed = serving.task.then(
    () => null,
    (err: unknown) => err,
  );
  const outcome = await Promise.race([signalled, crashed.then((err) => ({ err }))]);
  if (typeof outcome === 'number') return outcome;
  // The task also settles when a stop finishes: the stop's outcome is the answer then.
  if (stopping !== null) return await stopping;
  if (outcome.err === null) return 0;
  process.stderr.write(`Stopped receiving updates: ${startupMessage(outcome.err)}\n`);
  return EXIT_FAILURE;
}

/** Turns a start-up network failure into one that names the API root and how long it was tried. */
function unreachable(apiRoot: string, waitedMs: number): (err: unknown) => never {
  return (err) => {
    if (!(err instanceof HttpError)) throw err;
    throw new ApiError('API_UNREACHABLE', `Could not reach the Telegram Bot API at ${apiRoot} (tried for ${Math.round(waitedMs / 1000)} s).`, {
      cause: err,
      hint: 'Check the network connection (and TELEGRAM_API_ROOT if set); TELEGRAM_STARTUP_TIMEOUT_SECONDS sets how long to try.',
    });
  };
}

/** One line (plus hint) for failures before or outside update handling. */
function startupMessage(err: unknown): string {
  if (err instanceof GrammyError) {
    if (err.error_code === 401 || err.error_code === 404) {
      return 'Telegram rejected TELEGRAM_BOT_TOKEN (unauthorized).\nCheck the token with @BotFather and update .env.';
    }
    if (err.error_code === 409) {
      return 'Another instance of this bot is already polling (409 conflict).\nStop the other instance or remove its webhook.';
    }
    return `Telegram refused ${err.method}: ${err.description}`;
  }
  if (err instanceof HttpError) return 'Could not reach the Telegram Bot API.\nCheck the network connection (and TELEGRAM_API_ROOT if set).';
  return describeError(err);
}

// If a stray handle outlives shutdown, leave anyway once the work is done (unref: never delays exit).
const EXIT_GRACE_MS = 2000;

main().then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
  },
  (err: unknown) => {
    process.stderr.write(`${describeError(err)}\n`);
    process.exitCode = EXIT_FAILURE;
  },
);
