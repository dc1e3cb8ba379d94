/** Maps failures to short, user-facing sentences. Stack traces and internals stay in the logs. */
import { AppError } from '../errors';

const GENERIC = 'Sorry, something went wrong while answering. Please try again.';

/** A one-line message for the user, chosen by the error's stable code. */
export function userMessageFor(err: unknown): string {
  if (!(err instanceof AppError)) return GENERIC;
  switch (err.code) {
    case 'QUERY_INVALID':
      return "I couldn't search for that. Please ask a short question in words.";
    case 'INDEX_MISSING':
    case 'INDEX_CORRUPT':
    case 'INDEX_MODEL_MISMATCH':
    case 'INDEX_LOCKED':
    case 'REPORTS_NOT_FOUND':
    case 'REPORTS_EMPTY':
    case 'REPORT_UNREADABLE':
      return "The reports index isn't available right now. Please try again in a little while.";
    case 'MODEL_LOAD_FAILED':
    case 'MODEL_BUILD_FAILED':
    case 'EMBEDDING_FAILED':
      return 'Search is temporarily unavailable. Please try again in a little while.';
    case 'CONFIG_INVALID':
      return GENERIC;
  }
}
