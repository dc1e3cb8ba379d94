/**
 * A fake Telegram Bot API on 127.0.0.1 (real node:http server, ephemeral port). Serves queued
 * updates through long-polling getUpdates, files through getFile and `/file/bot<token>/<file_path>`, records every call with its payload, assigns
 * message_ids, validates outgoing messages against Bot API limits (so format bugs fail loudly),
 * and can inject a deterministic fraction of 429 (retry_after) and 500 responses.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update, UserFromGetMe } from 'grammy/types';
import { BOT_INFO, TEST_TOKEN } from './updates';

export type CallOutcome = 'ok' | 'rate-limited' | 'server-error' | 'rejected' | 'hung';

export interface RecordedCall {
  method: string;
  payload: Record<string, any>;
  /** performance.now() when the request body was received. */
  at: number;
  outcome: CallOutcome;
  /** Telegram's description for rejected calls. */
  description?: string;
  result?: unknown;
}

export interface FaultOptions {
  /** Fraction of eligible calls answered with 429 Too Many Requests. */
  rateLimitFraction?: number;
  /** Fraction of eligible calls answered with 500 Internal Server Error. */
  serverErrorFraction?: number;
  /** retry_after seconds in 429 responses. */
  retryAfterSeconds?: number;
  /** Methods that may fail. Default: every method except getMe and getUpdates. */
  methods?: string[];
  /** PRNG seed, so runs are reproducible. */
  seed?: number;
}

export interface FakeBotApiOptions {
  token?: string;
  botInfo?: UserFromGetMe;
  /** Upper bound for a long poll, whatever timeout the client asks for. */
  maxPollMs?: number;
  faults?: FaultOptions;
  /** Methods answered with 400 Bad Request, as Telegram does for a refused call. */
  refuse?: string[];
  /** Methods that get no answer at all (the request hangs until the client gives up or the server closes). */
  hang?: string[];
}

// Long enough to exercise long polling, short enough that a forgotten poll never stalls a test.
const DEFAULT_MAX_POLL_MS = 1000;
const MAX_TEXT = 4096;
const MAX_ENTITIES = 100;
const MAX_CALLBACK_DATA_BYTES = 64;

interface Waiter {
  offset: number;
  limit: number;
  res: ServerResponse;
  timer: NodeJS.Timeout;
}

export class FakeBotApi {
  readonly calls: RecordedCall[] = [];
  /** performance.now() at which each update_id was handed out by getUpdates (first delivery). */
  readonly deliveredAt = new Map<number, number>();
  private readonly listeners: Array<(call: RecordedCall) => void> = [];
  private readonly queue: Update[] = [];
  private readonly forced: Array<{ method: string; outcome: 'rate-limited' | 'server-error' }> = [];
  private waiters: Waiter[] = [];
  private readonly files = new Map<string, { bytes: Buffer; uniqueId: string; path: string }>();
  private nextFileId = 1;
  private nextUpdateId = 1;
  private nextMessageId = 50_000;
  private faults: Required<FaultOptions>;
  private rand: () => number;
  private readonly token: string;
  private readonly botInfo: UserFromGetMe;
  private readonly maxPollMs: number;
  private readonly refused: ReadonlySet<string>;
  private readonly hung: ReadonlySet<string>;
  private readonly hanging = new Set<ServerResponse>();
  private down = false;

  private constructor(
    private readonly server: Server,
    readonly apiRoot: string,
    options: FakeBotApiOptions,
  ) {
    this.token = options.token ?? TEST_TOKEN;
    this.botInfo = options.botInfo ?? BOT_INFO;
    this.maxPollMs = options.maxPollMs ?? DEFAULT_MAX_POLL_MS;
    this.refused = new Set(options.refuse ?? []);
    this.hung = new Set(options.hang ?? []);
    this.faults = normaliseFaults(options.faults);
    this.rand = mulberry32(this.faults.seed);
  }

  /** Starts a server on 127.0.0.1 with an ephemeral port. */
  static async start(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
    let api: FakeBotApi | null = null;
    const server = createServer((req, res) => {
      if (api === null) res.destroy();
      else api.handle(req, res);
    });
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    api = new FakeBotApi(server, `http://127.0.0.1:${port}`, options);
    return api;
  }

  /** Changes fault injection from now on. */
  setFaults(faults: FaultOptions | undefined): void {
    this.faults = normaliseFaults(faults);
    this.rand = mulberry32(this.faults.seed);
  }

  /**
   * Simulates an outage: while down, every request's connection is dropped without an answer (and
   * pending long polls with it), as when the network or the API is gone. Calls are not recorded.
   */
  setDown(down: boolean): void {
    this.down = down;
    if (!down) return;
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.res.socket?.destroy();
    }
    this.waiters = [];
  }

  /** Calls `listener` with every recorded call as it happens. */
  onCall(listener: (call: RecordedCall) => void): void {
    this.listeners.push(listener);
  }

  /** Makes the next call of `method` fail with `outcome` (queued, in order). */
  failNext(method: string, outcome: 'rate-limited' | 'server-error'): void {
    this.forced.push({ method, outcome });
  }

  /**
   * Stores a file as if a user had sent it; returns what Telegram puts in a message's `document`
   * (without the name and type, which the message adds).
   */
  addFile(bytes: Buffer, extension = ''): { file_id: string; file_unique_id: string; file_size: number } {
    const n = this.nextFileId++;
    const fileId = `file-${n}-${'x'.repeat(20)}`;
    const uniqueId = `unique${n}`;
    this.files.set(fileId, { bytes, uniqueId, path: `documents/file_${n}${extension}` });
    return { file_id: fileId, file_unique_id: uniqueId, file_size: bytes.length };
  }

  /** Queues updates (renumbered with increasing update_ids) and wakes a waiting poller. */
  enqueue(...updates: Update[]): Update[] {
    const queued = updates.map((u) => ({ ...u, update_id: this.nextUpdateId++ }));
    this.queue.push(...queued);
    this.wakeWaiters();
    return queued;
  }

  /** Recorded calls of one method (all outcomes). */
  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Successful calls, optionally of one method. */
  okCalls(method?: string): RecordedCall[] {
    return this.calls.filter((c) => c.outcome === 'ok' && (method === undefined || c.method === method));
  }

  /** Calls other than polling and start-up housekeeping, in arrival order. */
  conversationCalls(): RecordedCall[] {
    const housekeeping = new Set(['getUpdates', 'getMe', 'deleteWebhook', 'setMyCommands']);
    return this.calls.filter((c) => !housekeeping.has(c.method));
  }

  /** Number of updates not yet confirmed by a getUpdates offset. */
  pendingUpdates(): number {
    return this.queue.length;
  }

  /** Resolves with the predicate's first truthy value; rejects after `timeoutMs`. */
  async waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value) return value;
      if (performance.now() > deadline) throw new Error(`FakeBotApi: timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Answers pending polls, drops connections and stops listening. */
  async close(): Promise<void> {
    for (const res of this.hanging) res.socket?.destroy();
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      if (!w.res.writableEnded) send(w.res, 200, { ok: true, result: [] });
    }
    this.waiters = [];
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.down) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(req.url ?? '');
      if (download !== null) {
        this.serveFile(download[1]!, decodeURIComponent(download[2]!), at, res);
        return;
      }
      const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
      if (match === null || match[1] !== this.token) {
        send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
        return;
      }
      const method = match[2]!;
      let payload: Record<string, unknown> = {};
      try {
        const body = Buffer.concat(chunks).toString('utf8');
        payload = body === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
      } catch {
        this.reject(res, method, {}, at, "Bad Request: can't parse JSON");
        return;
      }
      this.dispatch(method, payload, at, res);
    });
  }

  private dispatch(method: string, payload: Record<string, any>, at: number, res: ServerResponse): void {
    const forcedAt = this.forced.findIndex((f) => f.method === method);
    let fault = forcedAt >= 0 ? this.forced.splice(forcedAt, 1)[0]!.outcome : null;
    if (fault === null && this.faults.methods.includes(method)) {
      const r = this.rand();
      if (r < this.faults.rateLimitFraction) fault = 'rate-limited';
      else if (r < this.faults.rateLimitFraction + this.faults.serverErrorFraction) fault = 'server-error';
    }
    if (fault === 'rate-limited') {
      this.record({ method, payload, at, outcome: 'rate-limited' });
      const retryAfter = this.faults.retryAfterSeconds;
      send(res, 429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } });
      return;
    }
    if (fault === 'server-error') {
      this.record({ method, payload, at, outcome: 'server-error' });
      send(res, 500, { ok: false, error_code: 500, description: 'Internal Server Error' });
      return;
    }
    if (this.refused.has(method)) return this.reject(res, method, payload, at, `Bad Request: ${method} refused by the test`);
    if (this.hung.has(method)) {
      this.record({ method, payload, at, outcome: 'hung' });
      this.hanging.add(res);
      res.once('close', () => this.hanging.delete(res));
      return;
    }
    switch (method) {
      case 'getMe':
        return this.ok(res, method, payload, at, this.botInfo);
      case 'getUpdates':
        return this.getUpdates(payload, at, res);
      case 'setWebhook':
        return typeof payload.url === 'string' && payload.url.startsWith('https://')
          ? this.ok(res, method, payload, at, true)
          : this.reject(res, method, payload, at, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
      case 'getFile': {
        const entry = this.files.get(String(payload.file_id));
        if (entry === undefined) return this.reject(res, method, payload, at, 'Bad Request: invalid file_id');
        return this.ok(res, method, payload, at, { file_id: payload.file_id, file_unique_id: entry.uniqueId, file_size: entry.bytes.length, file_path: entry.path });
      }
      case 'deleteWebhook':
      case 'setMyCommands':
      case 'sendChatAction':
      case 'answerCallbackQuery':
        return this.ok(res, method, payload, at, true);
      case 'answerInlineQuery': {
        const problem = checkInlineResults(payload);
        return problem ? this.reject(res, method, payload, at, problem) : this.ok(res, method, payload, at, true);
      }
      case 'sendMessage': {
        const problem = checkText(payload.text, payload.entities) ?? checkKeyboard(payload.reply_markup);
        if (problem) return this.reject(res, method, payload, at, problem);
        return this.ok(res, method, payload, at, this.message(payload));
      }
      case 'editMessageText': {
        const problem = checkText(payload.text, payload.entities) ?? checkKeyboard(payload.reply_markup);
        if (problem) return this.reject(res, method, payload, at, problem);
        return this.ok(res, method, payload, at, payload.inline_message_id ? true : { ...this.message(payload), message_id: payload.message_id });
      }
      case 'editMessageReplyMarkup': {
        const problem = checkKeyboard(payload.reply_markup);
        return problem ? this.reject(res, method, payload, at, problem) : this.ok(res, method, payload, at, true);
      }
      default:
        this.record({ method, payload, at, outcome: 'rejected', description: 'Not Found: method not found' });
        send(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    }
  }

  /** The file download endpoint; recorded as method `downloadFile` with the path. */
  private serveFile(token: string, filePath: string, at: number, res: ServerResponse): void {
    if (token !== this.token) {
      send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      return;
    }
    const entry = [...this.files.values()].find((f) => f.path === filePath);
    if (entry === undefined) {
      this.record({ method: 'downloadFile', payload: { file_path: filePath }, at, outcome: 'rejected', description: 'Not Found' });
      send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    this.record({ method: 'downloadFile', payload: { file_path: filePath }, at, outcome: 'ok' });
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': entry.bytes.length });
    res.end(entry.bytes);
  }

  private message(payload: Record<string, any>): Record<string, unknown> {
    const chatId = Number(payload.chat_id);
    return {
      message_id: this.nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: chatId > 0 ? { id: chatId, type: 'private', first_name: 'User' } : { id: chatId, type: 'supergroup', title: 'Group' },
      from: { id: this.botInfo.id, is_bot: true, first_name: this.botInfo.first_name, username: this.botInfo.username },
      text: payload.text,
      ...(payload.entities ? { entities: payload.entities } : {}),
      ...(payload.reply_markup ? { reply_markup: payload.reply_markup } : {}),
    };
  }

  private getUpdates(payload: Record<string, any>, at: number, res: ServerResponse): void {
    const offset = Number(payload.offset ?? 0);
    const limit = Math.max(1, Math.min(100, Number(payload.limit ?? 100)));
    const timeoutMs = Math.min(this.maxPollMs, Number(payload.timeout ?? 0) * 1000);
    this.record({ method: 'getUpdates', payload, at, outcome: 'ok' });
    this.confirm(offset);
    if (this.available(offset, limit).length > 0 || timeoutMs <= 0) {
      this.deliver(res, offset, limit);
      return;
    }
    const waiter: Waiter = {
      offset,
      limit,
      res,
      timer: setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        this.deliver(res, offset, limit);
      }, timeoutMs),
    };
    this.waiters.push(waiter);
    res.once('close', () => {
      clearTimeout(waiter.timer);
      this.waiters = this.waiters.filter((w) => w !== waiter);
    });
  }

  private confirm(offset: number): void {
    while (this.queue.length > 0 && this.queue[0]!.update_id < offset) this.queue.shift();
  }

  private available(offset: number, limit: number): Update[] {
    return this.queue.filter((u) => u.update_id >= offset).slice(0, limit);
  }

  private deliver(res: ServerResponse, offset: number, limit: number): void {
    if (res.writableEnded || res.destroyed) return;
    const updates = this.available(offset, limit);
    const now = performance.now();
    for (const u of updates) if (!this.deliveredAt.has(u.update_id)) this.deliveredAt.set(u.update_id, now);
    send(res, 200, { ok: true, result: updates });
  }

  private wakeWaiters(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) {
      clearTimeout(w.timer);
      this.deliver(w.res, w.offset, w.limit);
    }
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    for (const listener of this.listeners) listener(call);
  }

  private ok(res: ServerResponse, method: string, payload: Record<string, unknown>, at: number, result: unknown): void {
    this.record({ method, payload, at, outcome: 'ok', result });
    send(res, 200, { ok: true, result });
  }

  private reject(res: ServerResponse, method: string, payload: Record<string, unknown>, at: number, description: string): void {
    this.record({ method, payload, at, outcome: 'rejected', description });
    send(res, 400, { ok: false, error_code: 400, description });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

/** The checks Telegram applies to message text and entities. */
export function checkText(text: unknown, entities: unknown): string | null {
  if (typeof text !== 'string' || text.trim().length === 0) return 'Bad Request: message text is empty';
  if (text.length > MAX_TEXT) return 'Bad Request: message is too long';
  if (entities === undefined) return null;
  if (!Array.isArray(entities)) return "Bad Request: can't parse entities";
  if (entities.length > MAX_ENTITIES) return 'Bad Request: too many entities';
  for (const e of entities as Array<{ type?: unknown; offset?: unknown; length?: unknown }>) {
    if (typeof e.type !== 'string' || !Number.isInteger(e.offset) || !Number.isInteger(e.length)) {
      return "Bad Request: can't parse entities";
    }
    const offset = e.offset as number;
    const length = e.length as number;
    if (offset < 0 || length <= 0 || offset + length > text.length) return 'Bad Request: entity out of range';
  }
  return null;
}

function checkKeyboard(markup: unknown): string | null {
  if (markup === undefined) return null;
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (!Array.isArray(rows)) return 'Bad Request: reply markup is not an inline keyboard';
  for (const row of rows as unknown[]) {
    if (!Array.isArray(row)) return "Bad Request: can't parse inline keyboard button";
    for (const button of row as Array<{ text?: unknown; callback_data?: unknown }>) {
      if (typeof button.text !== 'string' || button.text === '') return 'Bad Request: BUTTON_TEXT_INVALID';
      const data = button.callback_data;
      if (typeof data === 'string' && (data === '' || Buffer.byteLength(data) > MAX_CALLBACK_DATA_BYTES)) {
        return 'Bad Request: BUTTON_DATA_INVALID';
      }
    }
  }
  return null;
}

function checkInlineResults(payload: Record<string, any>): string | null {
  const results: unknown = payload.results;
  if (!Array.isArray(results)) return 'Bad Request: results are not an array';
  if (results.length > 50) return 'Bad Request: RESULTS_TOO_MUCH';
  const ids = new Set<string>();
  for (const r of results as Array<Record<string, any>>) {
    if (typeof r.id !== 'string' || r.id === '' || Buffer.byteLength(r.id) > 64) return 'Bad Request: RESULT_ID_INVALID';
    if (ids.has(r.id)) return 'Bad Request: RESULT_ID_DUPLICATE';
    ids.add(r.id);
    if (typeof r.title !== 'string' || r.title === '') return 'Bad Request: RESULT_TITLE_EMPTY';
    const content = r.input_message_content as Record<string, unknown> | undefined;
    const problem = checkText(content?.message_text, content?.entities);
    if (problem) return problem;
  }
  return null;
}

function normaliseFaults(faults: FaultOptions | undefined): Required<FaultOptions> {
  return {
    rateLimitFraction: faults?.rateLimitFraction ?? 0,
    serverErrorFraction: faults?.serverErrorFraction ?? 0,
    retryAfterSeconds: faults?.retryAfterSeconds ?? 1,
    methods: faults?.methods ?? [
      'sendMessage', 'sendChatAction', 'editMessageText', 'editMessageReplyMarkup',
      'answerCallbackQuery', 'answerInlineQuery', 'deleteWebhook', 'setMyCommands',
    ],
    seed: faults?.seed ?? 42,
  };
}

/** Small deterministic PRNG (mulberry32). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
