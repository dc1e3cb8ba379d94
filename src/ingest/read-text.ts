/** Plain-text reports (.txt): decoded as UTF-8 or Windows-1252, with no metadata of their own. */
import { ReportFileError } from '../errors';
import { NO_META } from './metadata';
import type { ExtractedReport } from './types';

/** Share of control characters above which a file is treated as binary rather than text. */
const BINARY_CONTROL_RATIO = 0.1;

/** Why `bytes` can't be used as text, or null when it can. */
export function binaryReason(bytes: Buffer): string | null {
  const sample = bytes.subarray(0, 8192);
  if (sample.includes(0)) return 'binary file (contains NUL bytes)';
  let control = 0;
  for (const b of sample) if (b < 9 || (b > 13 && b < 32)) control++;
  if (sample.length > 0 && control / sample.length > BINARY_CONTROL_RATIO) return 'binary file (mostly control bytes)';
  return null;
}

/** Windows-1252 characters for bytes 0x80..0x9F, where it differs from Latin-1 (undefined bytes stay as is). */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Buffer): string {
  return bytes.toString('latin1').replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? c);
}

/**
 * Decodes report bytes: UTF-8 when valid, else Windows-1252. Removes a BOM and normalises
 * CRLF / CR line endings to LF; passage offsets index into the returned string.
 */
export function decodeReport(bytes: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Node's TextDecoder treats windows-1252 as Latin-1, so map the 0x80..0x9F range ourselves.
    text = decodeWindows1252(bytes);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.replace(/\r\n?/g, '\n');
}

/** Text of a text-like file; binary content is refused. */
export function decodeTextFile(bytes: Buffer): string {
  const binary = binaryReason(bytes);
  if (binary) throw new ReportFileError(binary);
  const text = decodeReport(bytes);
  if (text.trim() === '') throw new ReportFileError('empty file');
  return text;
}

/** Reads a .txt report. */
export async function readText(bytes: Buffer): Promise<ExtractedReport> {
  return { format: 'text', text: decodeTextFile(bytes), meta: NO_META, pageStarts: null };
}
