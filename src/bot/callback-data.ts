/**
 * Inline-button payloads. Telegram allows at most 64 bytes of callback_data, so buttons carry only
 * an action and a small argument; the question itself is recovered from the message the answer
 * replies to, which keeps buttons working across restarts.
 */

/** Bot API limit for callback_data, in bytes. */
export const MAX_CALLBACK_DATA_BYTES = 64;
// Far beyond any real paging; bounds the work a forged button can ask for.
const MAX_OFFSET = 1000;

export type CallbackAction =
  | { kind: 'more'; offset: number }
  | { kind: 'context'; passageId: string };

const PASSAGE_ID = /^[A-Za-z0-9_-]{1,60}$/;

/** Encodes an action, or returns null when it cannot be represented within 64 bytes. */
export function encodeCallback(action: CallbackAction): string | null {
  let data: string;
  if (action.kind === 'more') {
    if (!Number.isInteger(action.offset) || action.offset < 1 || action.offset > MAX_OFFSET) return null;
    data = `more:${action.offset}`;
  } else {
    if (!PASSAGE_ID.test(action.passageId)) return null;
    data = `ctx:${action.passageId}`;
  }
  return Buffer.byteLength(data, 'utf8') <= MAX_CALLBACK_DATA_BYTES ? data : null;
}

/** Decodes callback_data; null for anything this version did not produce (expired or forged). */
export function decodeCallback(data: string | undefined): CallbackAction | null {
  if (data === undefined) return null;
  const colon = data.indexOf(':');
  if (colon < 0) return null;
  const kind = data.slice(0, colon);
  const arg = data.slice(colon + 1);
  if (kind === 'more' && /^\d{1,4}$/.test(arg)) {
    const offset = Number(arg);
    return offset >= 1 && offset <= MAX_OFFSET ? { kind: 'more', offset } : null;
  }
  if (kind === 'ctx' && PASSAGE_ID.test(arg)) return { kind: 'context', passageId: arg };
  return null;
}
