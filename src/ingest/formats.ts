/** Which reader reads which file: one reader per format, chosen by the file's extension. */
import path from 'node:path';
import { ReportFileError } from '../errors';
import { readDocx } from './read-docx';
import { readHtml } from './read-html';
import { readMarkdown } from './read-markdown';
import { readPdf } from './read-pdf';
import { readText } from './read-text';
import type { ExtractedReport } from './types';

/** Largest report file read; the same as Telegram's download limit for bots, so every upload fits. */
export const MAX_REPORT_BYTES = 20 * 1024 * 1024;

type Reader = (bytes: Buffer) => Promise<ExtractedReport>;

const READERS: ReadonlyMap<string, Reader> = new Map([
  ['.pdf', readPdf],
  ['.docx', readDocx],
  ['.html', readHtml],
  ['.htm', readHtml],
  ['.md', readMarkdown],
  ['.markdown', readMarkdown],
  ['.txt', readText],
]);

/** Extensions of the files that are read as reports, e.g. `.pdf`. */
export const REPORT_EXTENSIONS: readonly string[] = [...READERS.keys()];

/** True when a file with this name is read as a report. */
export function isReportFile(fileName: string): boolean {
  return READERS.has(path.extname(fileName).toLowerCase());
}

/** "20.0 MB" style sizes for messages. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** The reason a file of `size` bytes is too large, or null. */
export function sizeProblem(size: number): string | null {
  return size > MAX_REPORT_BYTES ? `over the size limit (${formatBytes(size)}; at most ${formatBytes(MAX_REPORT_BYTES)})` : null;
}

/** The reason a file of this name is not read as a report, or null when it is. */
export function typeProblem(fileName: string): string | null {
  const ext = path.extname(fileName).toLowerCase();
  if (READERS.has(ext)) return null;
  const kind = ext === '' ? 'a file without an extension' : ext;
  return `unsupported type (${kind}); reports can be PDF, DOCX, HTML, Markdown or text files`;
}

/**
 * Extracts one report file's text and metadata with the reader for its extension.
 * @throws ReportFileError with the reason when the file is of an unsupported type, too large or unusable.
 */
export async function extractReport(bytes: Buffer, fileName: string): Promise<ExtractedReport> {
  const reader = READERS.get(path.extname(fileName).toLowerCase());
  if (reader === undefined) throw new ReportFileError(typeProblem(fileName) ?? 'unsupported type');
  const tooLarge = sizeProblem(bytes.length);
  if (tooLarge) throw new ReportFileError(tooLarge);
  return reader(bytes);
}
