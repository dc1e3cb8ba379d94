import { describe, expect, it } from 'vitest';
import { modelCacheDirOf, parseConfig } from '../../src/config';
import { ConfigError } from '../../src/errors';

const TOKEN = '123456789:AAtest-token_for_the_fake_bot_api_0000';

function errorOf(env: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('uses documented defaults and console mode without a token', () => {
    expect(parseConfig({})).toEqual({
      botToken: null,
      apiRoot: null,
      reportsDir: null,
      indexDir: 'index',
      embeddingModel: 'Xenova/bge-small-en-v1.5',
      modelCacheDir: '.cache/models',
      allowedUserIds: new Set(),
      allowedChatIds: new Set(),
      adminUserIds: new Set(),
      logLevel: 'info',
      resultsPerPage: 3,
      rateLimit: 20,
      webhook: null,
      drainTimeoutMs: 10_000,
      startupTimeoutMs: 60_000,
      stateDir: '.state',
      databaseUrl: null,
      redisUrl: null,
      reloadPollMs: 1500,
    });
  });

  it('treats empty and blank values as unset', () => {
    const config = parseConfig({ TELEGRAM_BOT_TOKEN: '', REPORTS_DIR: '  ', RESULTS_PER_PAGE: '' });
    expect(config.botToken).toBeNull();
    expect(config.reportsDir).toBeNull();
    expect(config.resultsPerPage).toBe(3);
  });

  it('parses every setting', () => {
    const config = parseConfig({
      TELEGRAM_BOT_TOKEN: ` ${TOKEN} `,
      TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/',
      REPORTS_DIR: 'reports',
      INDEX_DIR: '/var/index',
      EMBEDDING_MODEL: 'offline',
      MODEL_CACHE_DIR: '/cache',
      ALLOWED_USER_IDS: '1, 2,3',
      ALLOWED_CHAT_IDS: '-1001234567890',
      ADMIN_USER_IDS: '42',
      LOG_LEVEL: 'DEBUG',
      RESULTS_PER_PAGE: '5',
      RATE_LIMIT: '0',
      WEBHOOK_URL: 'https://bot.example.org/hook',
      WEBHOOK_SECRET: 'abc_DEF-123',
      PORT: '3000',
      DRAIN_TIMEOUT_SECONDS: '0',
      TELEGRAM_STARTUP_TIMEOUT_SECONDS: '5',
      STATE_DIR: '/var/lib/bot',
      DATABASE_URL: 'postgres://bot:pw@db.example.org:5432/reports',
      REDIS_URL: 'redis://127.0.0.1:6379',
      RELOAD_POLL_MS: '600000',
    });
    expect(config).toEqual({
      botToken: TOKEN,
      apiRoot: 'http://127.0.0.1:8081',
      reportsDir: 'reports',
      indexDir: '/var/index',
      embeddingModel: 'offline',
      modelCacheDir: '/cache',
      allowedUserIds: new Set([1, 2, 3]),
      allowedChatIds: new Set([-1001234567890]),
      adminUserIds: new Set([42]),
      logLevel: 'debug',
      resultsPerPage: 5,
      rateLimit: 0,
      webhook: { url: 'https://bot.example.org/hook', secret: 'abc_DEF-123', port: 3000 },
      drainTimeoutMs: 0,
      startupTimeoutMs: 5000,
      stateDir: '/var/lib/bot',
      databaseUrl: 'postgres://bot:pw@db.example.org:5432/reports',
      redisUrl: 'redis://127.0.0.1:6379',
      reloadPollMs: 600_000,
    });
  });

  it('lists every bad setting in one error, without echoing the token', () => {
    const err = errorOf({
      TELEGRAM_BOT_TOKEN: 'not-a-token-secret-value',
      TELEGRAM_API_ROOT: 'ftp://example.org',
      ALLOWED_USER_IDS: '12,abc,3.5',
      LOG_LEVEL: 'loud',
      RESULTS_PER_PAGE: '0',
      RATE_LIMIT: 'fast',
      PORT: '70000',
      WEBHOOK_SECRET: 'spaces are bad',
      DRAIN_TIMEOUT_SECONDS: '-1',
      TELEGRAM_STARTUP_TIMEOUT_SECONDS: '0',
      RELOAD_POLL_MS: '50',
    });
    expect(err.code).toBe('CONFIG_INVALID');
    const lines = err.message.split('\n');
    expect(lines[0]).toBe('Invalid settings:');
    expect(lines.slice(1)).toEqual([
      '  - TELEGRAM_BOT_TOKEN does not look like a bot token (expected `<digits>:<secret>` from @BotFather).',
      '  - TELEGRAM_API_ROOT must use http or https (got ftp).',
      '  - LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud").',
      '  - RESULTS_PER_PAGE must be between 1 and 10 (got 0).',
      '  - RATE_LIMIT must be a whole number between 0 and 10000 (got "fast").',
      '  - WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -.',
      '  - PORT must be between 1 and 65535 (got 70000).',
      '  - DRAIN_TIMEOUT_SECONDS must be a whole number between 0 and 600 (got "-1").',
      '  - TELEGRAM_STARTUP_TIMEOUT_SECONDS must be between 1 and 3600 (got 0).',
      '  - RELOAD_POLL_MS must be between 100 and 3600000 (got 50).',
      '  - ALLOWED_USER_IDS must be comma-separated integer ids; not an id: "abc", "3.5".',
    ]);
    expect(err.message).not.toContain('not-a-token-secret-value');
    expect(err.hint).toBe('See .env.example for every setting and its format.');
  });

  it('rejects a token without the numeric bot id and a webhook without a token', () => {
    expect(errorOf({ TELEGRAM_BOT_TOKEN: 'abc:AAtest-token_for_the_fake_bot_api_0000' }).message).toContain('TELEGRAM_BOT_TOKEN');
    expect(errorOf({ WEBHOOK_URL: 'https://example.org/hook' }).message).toContain('WEBHOOK_URL is set but TELEGRAM_BOT_TOKEN is not');
    expect(errorOf({ TELEGRAM_BOT_TOKEN: TOKEN, WEBHOOK_URL: 'http://example.org/hook' }).message).toContain('WEBHOOK_URL must use https');
    expect(errorOf({ TELEGRAM_API_ROOT: 'not a url' }).message).toContain('TELEGRAM_API_ROOT must be a URL');
  });

  it('reads only the object it is given, not process.env', () => {
    const saved = process.env.REPORTS_DIR;
    process.env.REPORTS_DIR = 'from-process-env';
    try {
      expect(parseConfig({}).reportsDir).toBeNull();
    } finally {
      if (saved === undefined) delete process.env.REPORTS_DIR;
      else process.env.REPORTS_DIR = saved;
    }
  });
});

describe('modelCacheDirOf', () => {
  it('uses MODEL_CACHE_DIR when set and the default when it is unset or blank, never the current folder', () => {
    expect(modelCacheDirOf({ MODEL_CACHE_DIR: '/var/cache/models' })).toBe('/var/cache/models');
    expect(modelCacheDirOf({})).toBe('.cache/models');
    expect(modelCacheDirOf({ MODEL_CACHE_DIR: '' })).toBe('.cache/models');
    expect(modelCacheDirOf({ MODEL_CACHE_DIR: '   ' })).toBe('.cache/models');
  });
});
