/**
 * Runtime settings, parsed from environment variables. `parseConfig` is pure: it reads only the
 * object it is given and reports every invalid setting at once in a single ConfigError.
 */
import { ConfigError } from './errors';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];


export interface WebhookConfig {
  url: string;
  secret: string | null;
  port: number;
}

export interface Config {
  /** Telegram bot token; null selects console mode. */
  botToken: string | null;
  /** Bot API root without trailing slash (e.g. a local Bot API server); null = Telegram's. */
  apiRoot: string | null;
  /**
   * REPORTS_DIR, or null when unset: then the folder the index was built from is used (the folder
   * of record in its manifest), and seeds/ when there is no index yet.
   */
  reportsDir: string | null;
  indexDir: string;
  /** Embedding model id, or `offline`. */
  embeddingModel: string;
  modelCacheDir: string;
  /** Users allowed to use the bot. Empty together with allowedChatIds = everyone. */
  allowedUserIds: ReadonlySet<number>;
  /** Chats (groups or private chats) in which the bot answers. */
  allowedChatIds: ReadonlySet<number>;
  /** Always allowed, never rate limited. */
  adminUserIds: ReadonlySet<number>;
  logLevel: LogLevel;
  resultsPerPage: number;
  /** Questions per user per minute; 0 disables rate limiting. */
  rateLimit: number;
  /** Webhook mode instead of long polling, when WEBHOOK_URL is set. */
  webhook: WebhookConfig | null;
  /** How long a stop keeps answering updates in flight before it gives up on them. */
  drainTimeoutMs: number;
  /** How long start-up waits for an unreachable Bot API before exiting with an error. */
  startupTimeoutMs: number;
  /** Where the bot keeps state across restarts (updates unanswered at a stop). */
  stateDir: string;
  /** PostgreSQL with pgvector holding the index (DATABASE_URL); null = the local index folder. */
  databaseUrl: string | null;
  /** Redis for the rate limit and build lock shared by replicas (REDIS_URL); null = in this process. */
  redisUrl: string | null;
  /** How often the live build is checked besides the change notifications (fs.watch, or NOTIFY with DATABASE_URL). */
  reloadPollMs: number;
}

const DEFAULTS = {
  indexDir: 'index',
  embeddingModel: 'Xenova/bge-small-en-v1.5',
  modelCacheDir: '.cache/models',
  logLevel: 'info' as LogLevel,
  resultsPerPage: 3,
  rateLimit: 20,
  port: 8080,
  drainTimeoutSeconds: 10,
  startupTimeoutSeconds: 60,
  stateDir: '.state',
  // Notifications usually come first; the poll only bounds how long a lost one can delay a switch.
  reloadPollMs: 1500,
};

// A BotFather token is `<bot id>:<secret>`; the secret is 35 url-safe characters today.
const TOKEN_PATTERN = /^\d{1,20}:[A-Za-z0-9_-]{30,80}$/;
const WEBHOOK_SECRET_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;
// Telegram shows at most 10 inline results per answer page and messages stay readable up to ~10 quotes.
const MAX_RESULTS_PER_PAGE = 10;

type Env = Record<string, string | undefined>;

/** The model cache folder the scripts use: MODEL_CACHE_DIR, or the default when it is unset or blank (never the current folder). */
export function modelCacheDirOf(env: Env): string {
  const value = env.MODEL_CACHE_DIR?.trim();
  return value ? value : DEFAULTS.modelCacheDir;
}

/**
 * Validates the environment and returns a typed Config.
 * @throws ConfigError listing every invalid setting, one per line.
 */
export function parseConfig(env: Env): Config {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const token = get('TELEGRAM_BOT_TOKEN');
  if (token !== undefined && !TOKEN_PATTERN.test(token)) {
    problems.push('TELEGRAM_BOT_TOKEN does not look like a bot token (expected `<digits>:<secret>` from @BotFather).');
  }

  const apiRoot = parseUrl(get('TELEGRAM_API_ROOT'), 'TELEGRAM_API_ROOT', ['http:', 'https:'], problems);

  const logLevelRaw = get('LOG_LEVEL')?.toLowerCase();
  let logLevel = DEFAULTS.logLevel;
  if (logLevelRaw !== undefined) {
    if ((LOG_LEVELS as readonly string[]).includes(logLevelRaw)) logLevel = logLevelRaw as LogLevel;
    else problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevelRaw}").`);
  }

  const resultsPerPage = parseInteger(get('RESULTS_PER_PAGE'), 'RESULTS_PER_PAGE', DEFAULTS.resultsPerPage, 1, MAX_RESULTS_PER_PAGE, problems);
  const rateLimit = parseInteger(get('RATE_LIMIT'), 'RATE_LIMIT', DEFAULTS.rateLimit, 0, 10_000, problems);

  const webhookUrl = parseUrl(get('WEBHOOK_URL'), 'WEBHOOK_URL', ['https:'], problems);
  const webhookSecret = get('WEBHOOK_SECRET') ?? null;
  if (webhookSecret !== null && !WEBHOOK_SECRET_PATTERN.test(webhookSecret)) {
    problems.push('WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -.');
  }
  const port = parseInteger(get('PORT'), 'PORT', DEFAULTS.port, 1, 65_535, problems);
  const drainTimeoutSeconds = parseInteger(get('DRAIN_TIMEOUT_SECONDS'), 'DRAIN_TIMEOUT_SECONDS', DEFAULTS.drainTimeoutSeconds, 0, 600, problems);
  const startupTimeoutSeconds = parseInteger(
    get('TELEGRAM_STARTUP_TIMEOUT_SECONDS'),
    'TELEGRAM_STARTUP_TIMEOUT_SECONDS',
    DEFAULTS.startupTimeoutSeconds,
    1,
    3600,
    problems,
  );
  if (webhookUrl !== null && token === undefined) {
    problems.push('WEBHOOK_URL is set but TELEGRAM_BOT_TOKEN is not; a webhook needs a bot token.');
  }

  const reloadPollMs = parseInteger(get('RELOAD_POLL_MS'), 'RELOAD_POLL_MS', DEFAULTS.reloadPollMs, 100, 3_600_000, problems);

  const databaseUrl = parseUrl(get('DATABASE_URL'), 'DATABASE_URL', ['postgres:', 'postgresql:'], problems);
  const redisUrl = parseUrl(get('REDIS_URL'), 'REDIS_URL', ['redis:', 'rediss:'], problems);

  const config: Config = {
    botToken: token ?? null,
    apiRoot,
    reportsDir: get('REPORTS_DIR') ?? null,
    indexDir: get('INDEX_DIR') ?? DEFAULTS.indexDir,
    embeddingModel: get('EMBEDDING_MODEL') ?? DEFAULTS.embeddingModel,
    modelCacheDir: get('MODEL_CACHE_DIR') ?? DEFAULTS.modelCacheDir,
    allowedUserIds: parseIdList(get('ALLOWED_USER_IDS'), 'ALLOWED_USER_IDS', problems),
    allowedChatIds: parseIdList(get('ALLOWED_CHAT_IDS'), 'ALLOWED_CHAT_IDS', problems),
    adminUserIds: parseIdList(get('ADMIN_USER_IDS'), 'ADMIN_USER_IDS', problems),
    logLevel,
    resultsPerPage,
    rateLimit,
    webhook: webhookUrl === null ? null : { url: webhookUrl, secret: webhookSecret, port },
    drainTimeoutMs: drainTimeoutSeconds * 1000,
    startupTimeoutMs: startupTimeoutSeconds * 1000,
    stateDir: get('STATE_DIR') ?? DEFAULTS.stateDir,
    databaseUrl,
    redisUrl,
    reloadPollMs,
  };

  if (problems.length > 0) {
    const noun = problems.length === 1 ? 'setting' : 'settings';
    throw new ConfigError(`Invalid ${noun}:\n${problems.map((p) => `  - ${p}`).join('\n')}`, {
      hint: 'See .env.example for every setting and its format.',
    });
  }
  return config;
}

function parseInteger(raw: string | undefined, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) {
    problems.push(`${name} must be a whole number between ${min} and ${max} (got "${raw}").`);
    return fallback;
  }
  const value = Number(raw);
  if (value < min || value > max) {
    problems.push(`${name} must be between ${min} and ${max} (got ${raw}).`);
    return fallback;
  }
  return value;
}

function parseIdList(raw: string | undefined, name: string, problems: string[]): ReadonlySet<number> {
  const ids = new Set<number>();
  if (raw === undefined) return ids;
  const bad: string[] = [];
  for (const part of raw.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const value = Number(item);
    if (!/^-?\d+$/.test(item) || !Number.isSafeInteger(value)) bad.push(item);
    else ids.add(value);
  }
  if (bad.length > 0) {
    problems.push(`${name} must be comma-separated integer ids; not an id: ${bad.map((b) => `"${b}"`).join(', ')}.`);
  }
  return ids;
}

function parseUrl(raw: string | undefined, name: string, protocols: string[], problems: string[]): string | null {
  if (raw === undefined) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`${name} must be a URL such as ${protocols[0]}//example.org (got an unparsable value).`);
    return null;
  }
  if (!protocols.includes(url.protocol)) {
    problems.push(`${name} must use ${protocols.map((p) => p.replace(':', '')).join(' or ')} (got ${url.protocol.replace(':', '')}).`);
    return null;
  }
  return raw.replace(/\/+$/, '');
}
