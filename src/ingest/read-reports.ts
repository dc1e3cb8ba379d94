import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ReportsError } from '../errors';
import type { Report } from './types';
import { deriveTitle } from './title';

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface ReadReportsResult {
  reports: Report[];
  skipped: SkippedFile[];
}

const REPORT_EXTENSIONS = new Set(['.txt', '.md']);
/** Share of control characters above which a file is treated as binary rather than text. */
const BINARY_CONTROL_RATIO = 0.1;

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(full)));
    else if (entry.isFile() && REPORT_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) files.push(full);
  }
  return files;
}

/** Why `bytes` can't be used as text, or null when it can. */
function binaryReason(bytes: Buffer): string | null {
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

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Reads every .txt and .md file under `dir` (recursive, sorted by relative path).
 * Unreadable, binary and empty files are skipped and reported; the others are still read.
 */
export async function readReports(dir: string): Promise<ReadReportsResult> {
  let info;
  try {
    info = await stat(dir);
  } catch (cause) {
    throw new ReportsError('REPORTS_NOT_FOUND', `Reports folder not found: ${dir}`, {
      cause,
      hint: 'Pass --reports DIR or set REPORTS_DIR to a folder of .txt or .md reports.',
    });
  }
  if (!info.isDirectory()) {
    throw new ReportsError('REPORTS_NOT_FOUND', `Reports path is not a folder: ${dir}`, {
      hint: 'Pass --reports DIR or set REPORTS_DIR to a folder of .txt or .md reports.',
    });
  }
  const files = (await listFiles(dir))
    .map((full) => ({ full, rel: path.relative(dir, full).split(path.sep).join('/') }))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));

  const reports: Report[] = [];
  const skipped: SkippedFile[] = [];
  for (const { full, rel } of files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(full);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      skipped.push({ path: rel, reason: `unreadable (${code})` });
      continue;
    }
    const binary = binaryReason(bytes);
    if (binary) {
      skipped.push({ path: rel, reason: binary });
      continue;
    }
    const text = decodeReport(bytes);
    if (text.trim().length === 0) {
      skipped.push({ path: rel, reason: 'empty file' });
      continue;
    }
    reports.push({ path: rel, text, hash: hashText(text), title: deriveTitle(text, rel) });
  }
  if (reports.length === 0) {
    const detail = files.length === 0 ? 'it has no .txt or .md files' : `none of its files could be used (${skipped.slice(0, 5).map((f) => `${f.path}: ${f.reason}`).join('; ')}${skipped.length > 5 ? `; and ${skipped.length - 5} more` : ''})`;
    throw new ReportsError('REPORTS_EMPTY', `No reports to index in ${dir}: ${detail}.`, {
      hint: 'Add .txt or .md reports to the folder, or pass --reports DIR.',
    });
  }
  return { reports, skipped };
}
