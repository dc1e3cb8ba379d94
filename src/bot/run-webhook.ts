/**
 * Webhook mode on node:http: Telegram POSTs updates to the path of WEBHOOK_URL, authenticated by
 * the X-Telegram-Bot-Api-Secret-Token header. Each update is acknowledged (200) as soon as it is
 * read and validated, then handled in the background, so a slow search never makes Telegram wait
 * or retry. Per-chat order comes from `sequentialize` in createBot, exactly as with polling: the
 * update is dispatched synchronously on arrival, so its place in the chat's queue is its arrival
 * order.
 *
 * grammY's `webhookCallback(bot, 'http')` is deliberately not used: it holds the HTTP response
 * until the handlers finish (or abandons the update untracked on timeout, which breaks the
 * graceful stop), reads bodies without a size limit and turns malformed JSON into a thrown error.
 * What it adds beyond that (constant-time secret check, `bot.handleUpdate`) is done here directly.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BotError, type Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from '../logger';
import { wordsFor } from '../i18n/words';
import { registerCommands } from './commands';
import type { BotContext } from './context';
import { apiSignal } from './api-network';
import { DEFAULT_CONCURRENCY, DEFAULT_STARTUP_TIMEOUT_MS, initBot } from './run-polling';

export interface WebhookOptions {
  /** Public HTTPS URL Telegram posts to (WEBHOOK_URL); its path is the path served here. */
  url: string;
  /** Expected X-Telegram-Bot-Api-Secret-Token; null generates a random one for this process. */
  secret: string | null;
  /** Port to listen on; 0 picks a free one (see WebhookHandle.port). */
  port: number;
  /** Interface to bind; default all interfaces. */
  host?: string;
  logger: Logger;
  /** Extra plain data for GET /healthz (e.g. index stats); must be cheap and JSON-serialisable. */
  health?: () => Record<string, unknown>;
  /** Updates handled at once; beyond this Telegram gets 503 and redelivers later. */
  maxInFlight?: number;
  /** How long stop() waits for in-flight updates. */
  drainTimeoutMs?: number;
  /** How long start-up (getMe, setWebhook, command menu) may wait for an unreachable API. */
  startupTimeoutMs?: number;
}

export interface WebhookHandle {
  /** Stops accepting updates, waits for in-flight ones (bounded), closes the server. */
  stop(): Promise<void>;
  /** Settles when the server has closed after stop(); rejects if the server failed. */
  readonly task: Promise<void>;
  /** The port actually bound. */
  readonly port: number;
  /** The secret Telegram sends with every update (generated when none was configured). Never log it. */
  readonly secret: string;
}

export const HEALTH_PATH = '/healthz';
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
const ALLOWED_UPDATES = ['message', 'callback_query', 'inline_query'] as const;
// Updates are a few KB (a 4096-character message with entities and a quoted reply stays far below).
const MAX_BODY_BYTES = 1024 * 1024;
// 32 random bytes = 43 base64url characters, inside Telegram's 1-256 [A-Za-z0-9_-] limit.
const GENERATED_SECRET_BYTES = 32;
const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;
// Telegram redelivers an update whose acknowledgement was lost; remembering recent ids answers it once.
const RECENT_UPDATE_IDS = 1000;
// A stuck or very slow client must not hold a socket for long; Telegram sends a body in one go.
const REQUEST_TIMEOUT_MS = 30_000;
const HEADERS_TIMEOUT_MS = 15_000;
// Scanners can send many unauthenticated requests; one warning a minute is enough to notice a wrong secret.
const UNAUTHORIZED_WARN_INTERVAL_MS = 60_000;
// Seconds Telegram (or a load balancer) should wait before retrying a 503.
const RETRY_AFTER_SECONDS = 1;

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };

/**
 * Initialises the bot (getMe unless botInfo was given), starts the HTTP server, then registers the
 * webhook (url, secret, allowed updates) and the command menu. Rejects, with the server closed, if
 * listening or a Bot API call fails.
 */
export async function startWebhook(bot: Bot<BotContext>, options: WebhookOptions): Promise<WebhookHandle> {
  const log = options.logger;
  const webhookPath = new URL(options.url).pathname;
  if (webhookPath === HEALTH_PATH) throw new Error(`WEBHOOK_URL must not end in ${HEALTH_PATH}; that path is the health check.`);
  const secret = options.secret ?? randomBytes(GENERATED_SECRET_BYTES).toString('base64url');
  if (options.secret === null) {
    log.warn('WEBHOOK_SECRET is not set: using a random secret for this process; set one when several instances share the webhook');
  }
  const secretDigest = digest(secret);
  const maxInFlight = options.maxInFlight ?? DEFAULT_CONCURRENCY;
  const drainTimeoutMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;

  const startup = apiSignal(AbortSignal.timeout(options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS));
  await initBot(bot, startup);

  const inFlight = new Set<Promise<void>>();
  const recent = new RecentIds(RECENT_UPDATE_IDS);
  let stopping = false;
  let unauthorized = 0;
  let lastUnauthorizedWarn = -Infinity;

  const dispatch = (update: Update): void => {
    const work = bot.handleUpdate(update).catch(async (err: unknown) => {
      try {
        if (err instanceof BotError) await bot.errorHandler(err);
        else log.error({ err, update_id: update.update_id }, 'update could not be handled');
      } catch (handlerErr) {
        log.error({ err: handlerErr, update_id: update.update_id }, 'error handler failed');
      }
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  const handleWebhook = async (req: IncomingMessage): Promise<Reply> => {
    if (req.method !== 'POST') return { status: 405, headers: { allow: 'POST' }, body: { ok: false, error: 'method not allowed' } };
    if (!secretMatches(req.headers[SECRET_HEADER], secretDigest)) {
      unauthorized += 1;
      const now = performance.now();
      if (now - lastUnauthorizedWarn >= UNAUTHORIZED_WARN_INTERVAL_MS) {
        log.warn({ rejected: unauthorized }, 'webhook request without the right secret token');
        lastUnauthorizedWarn = now;
        unauthorized = 0;
      }
      return { status: 401, body: { ok: false, error: 'unauthorized' }, headers: { connection: 'close' } };
    }
    const raw = await readBody(req, MAX_BODY_BYTES);
    if (raw === null) return { status: 413, body: { ok: false, error: 'body too large' }, headers: { connection: 'close' } };
    const update = parseUpdate(raw);
    if (update === null) return { status: 400, body: { ok: false, error: 'body is not a Telegram update' } };
    if (stopping) return unavailable();
    if (recent.has(update.update_id)) {
      log.debug({ update_id: update.update_id }, 'duplicate update ignored');
      return { status: 200 };
    }
    if (inFlight.size >= maxInFlight) {
      log.warn({ in_flight: inFlight.size, update_id: update.update_id }, 'webhook busy: asking Telegram to redeliver');
      return unavailable();
    }
    recent.add(update.update_id);
    dispatch(update);
    return { status: 200 };
  };

  const handleHealth = (req: IncomingMessage): Reply => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, headers: { allow: 'GET, HEAD' }, body: { ok: false } };
    if (stopping) return { status: 503, body: { ok: false, stopping: true } };
    try {
      return { status: 200, body: { ...(options.health?.() ?? {}), in_flight: inFlight.size, ok: true } };
    } catch (err) {
      log.warn({ err }, 'health check failed');
      return { status: 503, body: { ok: false } };
    }
  };

  const server = createServer((req, res) => {
    const path = requestPath(req.url);
    const route: Promise<Reply> =
      path === webhookPath
        ? handleWebhook(req)
        : Promise.resolve(path === HEALTH_PATH ? handleHealth(req) : { status: 404, body: { ok: false, error: 'not found' } });
    route.then(
      (reply) => {
        if (reply.status >= 400 && reply.status !== 503) log.debug({ status: reply.status, method: req.method, path }, 'webhook request refused');
        send(req, res, reply);
      },
      (err: unknown) => {
        // The client went away or the socket failed mid-body: nothing to answer, nothing dispatched.
        log.debug({ err, path }, 'webhook request failed');
        if (!res.headersSent && !res.destroyed) send(req, res, { status: 400, body: { ok: false }, headers: { connection: 'close' } });
      },
    );
  });
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;

  const port = await listen(server, options.port, options.host);
  let failServer: (err: unknown) => void = () => undefined;
  let closedServer: () => void = () => undefined;
  const task = new Promise<void>((resolve, reject) => {
    failServer = reject;
    closedServer = resolve;
  });
  void task.catch(() => undefined);
  server.on('error', (err) => {
    log.error({ err }, 'webhook server failed');
    failServer(err);
  });

  try {
    await bot.api.setWebhook(options.url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] }, startup);
    await registerCommands(bot.api, wordsFor, startup);
  } catch (err) {
    stopping = true;
    const closed = closeServer(server);
    server.closeAllConnections();
    await closed;
    throw err;
  }
  log.info({ username: bot.botInfo.username, port, path: webhookPath }, 'webhook started');

  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    // deleteWebhook is not called: other instances behind the same URL keep serving it, and a
    // restarted instance sets it again; while none runs, Telegram queues updates (up to 24 h).
    stopped ??= (async () => {
      stopping = true;
      log.info({ in_flight: inFlight.size }, 'stopping: no new updates, finishing in-flight ones');
      const closed = closeServer(server);
      const deadline = new Promise<'timeout'>((resolve) => setTimeout(resolve, drainTimeoutMs, 'timeout').unref());
      const outcome = await Promise.race([Promise.allSettled([...inFlight]).then(() => 'drained' as const), deadline]);
      if (outcome === 'timeout' && inFlight.size > 0) log.warn({ in_flight: inFlight.size }, 'stopped with updates still in flight');
      server.closeAllConnections();
      await closed;
      log.info('webhook stopped');
      closedServer();
    })();
    return stopped;
  };

  return { stop, task, port, secret };
}

/** Pathname of a request target, ignoring any query string. */
function requestPath(target: string | undefined): string {
  try {
    return new URL(target ?? '/', 'http://localhost').pathname;
  } catch {
    return '';
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time comparison (digests have equal length, so the header length does not leak). */
function secretMatches(header: string | string[] | undefined, expected: Buffer): boolean {
  if (typeof header !== 'string') return false;
  return timingSafeEqual(digest(header), expected);
}

/** The whole body, or null as soon as it exceeds `limit` bytes (by Content-Length or while reading). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new Error('request aborted'));
    });
  });
}

/** The update when `raw` is a JSON object with a non-negative integer update_id, else null. */
function parseUpdate(raw: Buffer): Update | null {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const id = (value as { update_id?: unknown }).update_id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? (value as Update) : null;
}

function unavailable(): Reply {
  return { status: 503, body: { ok: false, error: 'unavailable' }, headers: { 'retry-after': String(RETRY_AFTER_SECONDS), connection: 'close' } };
}

function send(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const data = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...(data === '' ? {} : { 'content-type': 'application/json' }),
    'content-length': String(Buffer.byteLength(data)),
    ...reply.headers,
  });
  res.end(req.method === 'HEAD' ? undefined : data);
}

function listen(server: Server, port: number, host: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    const onListening = (): void => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    if (host === undefined) server.listen(port, onListening);
    else server.listen(port, host, onListening);
  });
}

/** Stops accepting connections and resolves once every connection has closed. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/** A bounded set of recently seen update ids (oldest forgotten first). */
class RecentIds {
  private readonly ids = new Set<number>();
  constructor(private readonly capacity: number) {}

  has(id: number): boolean {
    return this.ids.has(id);
  }

  add(id: number): void {
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next();
      if (!oldest.done) this.ids.delete(oldest.value);
    }
  }
}
