/**
 * Typed errors shared by every layer. Each carries a stable `code` that the bot's
 * error boundary and the CLI map to a short message, plus the original `cause`.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'REPORTS_NOT_FOUND'
  | 'REPORTS_EMPTY'
  | 'REPORT_UNREADABLE'
  | 'MODEL_LOAD_FAILED'
  | 'MODEL_BUILD_FAILED'
  | 'EMBEDDING_FAILED'
  | 'INDEX_MISSING'
  | 'INDEX_CORRUPT'
  | 'INDEX_MODEL_MISMATCH'
  | 'INDEX_LOCKED'
  | 'QUERY_INVALID'
  | 'STORE_UNAVAILABLE'
  | 'API_UNREACHABLE';

export class AppError extends Error {
  readonly code: ErrorCode;
  /** A one-line hint telling the operator how to fix the problem, if there is one. */
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }
}

export class ConfigError extends AppError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('CONFIG_INVALID', message, options);
  }
}

export class ReportsError extends AppError {}

/** One report file that cannot be used; the message is the reason, phrased to follow the file name. */
export class ReportFileError extends AppError {
  constructor(reason: string, options: { cause?: unknown; hint?: string } = {}) {
    super('REPORT_UNREADABLE', reason, options);
  }
}

export class ModelError extends AppError {}

export class IndexError extends AppError {}

/** The Telegram Bot API could not be reached (network, DNS, a wrong TELEGRAM_API_ROOT). */
export class ApiError extends AppError {}

export class QueryError extends AppError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('QUERY_INVALID', message, options);
  }
}

/** Renders any thrown value as one or two human lines, never a stack trace. */
export function describeError(err: unknown): string {
  if (err instanceof AppError) return err.hint ? `${err.message}\n${err.hint}` : err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
