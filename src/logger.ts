/**
 * Structured logging (pino on stderr so stdout stays free for console answers): JSON lines for
 * services and log collectors, short human lines when stderr is a terminal.
 * The bot token never reaches a log line: token-shaped strings and Bot API URLs are scrubbed from
 * every message, object and error, and token-named fields are redacted.
 */
import pino, { type Logger } from 'pino';
import type { LogLevel } from './config';

export type { Logger };

export interface LoggerOptions {
  level: LogLevel;
  /** Literal secrets (the bot token) to scrub wherever they appear. */
  secrets?: Array<string | null | undefined>;
  /** Where lines go. Default: stderr, as human-readable lines on a terminal and JSON otherwise. */
  destination?: pino.DestinationStream;
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** Renders pino's JSON lines for a person: "12:00:01 WARN message key=value". */
export function humanLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const { level, time, msg, ...rest } = record;
  const clock = typeof time === 'number' ? new Date(time).toISOString().slice(11, 19) : '';
  const fields = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const message = typeof msg === 'string' ? msg.replace(/\n/g, '\n  ') : '';
  return `${clock} ${LEVEL_NAMES[Number(level)] ?? String(level)} ${message}${fields ? ` ${fields}` : ''}\n`;
}

function defaultDestination(): pino.DestinationStream {
  if (!process.stderr.isTTY) return pino.destination({ fd: 2, sync: true });
  return { write: (line: string) => void process.stderr.write(humanLine(line)) };
}

const REDACTED = '[redacted]';
// `<bot id>:<secret>` anywhere, including inside https://api.telegram.org/bot<token>/method URLs.
const TOKEN_IN_TEXT = /\d{5,20}:[A-Za-z0-9_-]{30,80}/g;
// Deep objects are cut off here; log payloads are small and this bounds the scrubbing work.
const MAX_SCRUB_DEPTH = 5;

/** Creates the root logger. */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length > 0);
  const scrubText = (text: string): string => {
    let out = text.replace(TOKEN_IN_TEXT, REDACTED);
    for (const secret of secrets) out = out.split(secret).join(REDACTED);
    return out;
  };
  return pino(
    {
      level: options.level,
      base: undefined,
      redact: {
        paths: ['token', 'botToken', '*.token', '*.botToken', 'config.botToken', 'headers.authorization'],
        censor: REDACTED,
      },
      hooks: {
        logMethod(args, method) {
          const cleaned = args.map((arg) => scrubValue(arg, scrubText, 0)) as typeof args;
          return method.apply(this, cleaned);
        },
      },
    },
    options.destination ?? defaultDestination(),
  );
}

/** Returns a copy of `value` with every string scrubbed (errors keep their prototype). */
export function scrubValue(value: unknown, scrubText: (text: string) => string, depth: number): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_SCRUB_DEPTH) return '[truncated]';
  if (value instanceof Error) {
    // Same prototype, so pino's error serializer still reports the real type (e.g. GrammyError).
    const copy = Object.create(Object.getPrototypeOf(value) as object) as Error & Record<string, unknown>;
    for (const [key, item] of Object.entries(value)) copy[key] = scrubValue(item, scrubText, depth + 1);
    Object.defineProperty(copy, 'message', { value: scrubText(value.message), enumerable: false });
    Object.defineProperty(copy, 'stack', { value: value.stack === undefined ? undefined : scrubText(value.stack), enumerable: false });
    if (value.cause !== undefined) copy.cause = scrubValue(value.cause, scrubText, depth + 1);
    return copy;
  }
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, scrubText, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = scrubValue(item, scrubText, depth + 1);
  return out;
}
