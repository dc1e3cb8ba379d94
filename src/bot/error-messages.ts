/** Maps failures to short, user-facing sentences. Stack traces and internals stay in the logs. */
import { AppError } from '../errors';
import type { Translate } from '../i18n/words';

/** A one-line message for the user in the words of `t`, chosen by the error's stable code. */
export function userMessageFor(err: unknown, t: Translate): string {
  if (!(err instanceof AppError)) return t('error-generic');
  switch (err.code) {
    case 'QUERY_INVALID':
      return t('error-query');
    case 'INDEX_MISSING':
    case 'INDEX_CORRUPT':
    case 'INDEX_MODEL_MISMATCH':
    case 'INDEX_LOCKED':
    case 'REPORTS_NOT_FOUND':
    case 'REPORTS_EMPTY':
    case 'REPORT_UNREADABLE':
      return t('error-index');
    case 'MODEL_LOAD_FAILED':
    case 'MODEL_BUILD_FAILED':
    case 'EMBEDDING_FAILED':
    case 'STORE_UNAVAILABLE':
      return t('error-search');
    case 'CONFIG_INVALID':
    case 'API_UNREACHABLE':
      return t('error-generic');
  }
}
