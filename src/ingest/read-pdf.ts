/**
 * PDF reports: the text layer of every page (pdf.js through unpdf), rebuilt into one line per
 * paragraph, pages separated by a blank line, and the document info (title, author, creation date).
 */
import { getDocumentProxy } from 'unpdf';
import { ReportFileError } from '../errors';
import { authorField, cleanField, isoDate } from './metadata';
import type { ExtractedReport } from './types';

/** A gap between baselines this many line heights wide starts a new paragraph. */
const PARAGRAPH_GAP_LINES = 1.6;
/** Pages are joined by a blank line, so a paragraph never runs across a page break. */
const PAGE_SEPARATOR = '\n\n';
/** Titles producers write when the author gave none. */
const PLACEHOLDER_TITLE = /^(untitled|document\d*|microsoft word - .*|.*\.(docx?|pdf|indd|tmp|rtf|odt))$/i;

interface TextItem {
  str: string;
  hasEOL: boolean;
  transform: number[];
  height: number;
}

interface Line {
  text: string;
  y: number;
  height: number;
}

function isTextItem(item: unknown): item is TextItem {
  return typeof item === 'object' && item !== null && 'str' in item && 'transform' in item;
}

/** Groups text items into visual lines (an end-of-line mark or a baseline change ends one). */
function linesOf(items: readonly TextItem[]): Line[] {
  const lines: Line[] = [];
  let current: Line | null = null;
  for (const item of items) {
    const y = item.transform[5] ?? 0;
    const height = Math.abs(item.height || item.transform[3] || 0);
    if (current !== null && Math.abs(current.y - y) > Math.max(1, current.height * 0.5) && item.str.trim() !== '') {
      lines.push(current);
      current = null;
    }
    if (current === null) current = { text: '', y, height };
    current.text += item.str;
    current.height = Math.max(current.height, height);
    if (item.hasEOL) {
      lines.push(current);
      current = null;
    }
  }
  if (current !== null) lines.push(current);
  return lines
    .map((l) => ({ ...l, text: l.text.replace(/\s+/g, ' ').trim() }))
    .filter((l) => l.text !== '');
}

/** Joins wrapped lines into paragraphs, one per output line; a hyphen at a line end joins the word. */
function pageText(items: readonly TextItem[]): string {
  const paragraphs: string[] = [];
  let current = '';
  let prev: Line | null = null;
  for (const line of linesOf(items)) {
    const gap = prev === null ? 0 : prev.y - line.y;
    const lineHeight = Math.max(prev?.height ?? 0, line.height, 1);
    const newParagraph = prev === null || gap < 0 || gap > lineHeight * PARAGRAPH_GAP_LINES;
    if (newParagraph) {
      if (current !== '') paragraphs.push(current);
      current = line.text;
    } else if (/\p{Ll}-$/u.test(current) && /^\p{Ll}/u.test(line.text)) {
      current = current.slice(0, -1) + line.text;
    } else {
      current += ` ${line.text}`;
    }
    prev = line;
  }
  if (current !== '') paragraphs.push(current);
  return paragraphs.join('\n');
}

function pdfError(err: unknown): ReportFileError {
  const name = err instanceof Error ? err.name : '';
  if (name === 'PasswordException') {
    return new ReportFileError('encrypted PDF (it needs a password): save a copy without the password and add that', { cause: err });
  }
  if (name === 'InvalidPDFException') return new ReportFileError('corrupt PDF (invalid structure)', { cause: err });
  const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return new ReportFileError(`unreadable PDF (${detail})`, { cause: err });
}

/** Reads a PDF report: text per page (page starts recorded for "p. N" source lines) and its info dictionary. */
export async function readPdf(bytes: Buffer): Promise<ExtractedReport> {
  let pdf;
  try {
    // A copy: pdf.js takes over (detaches) the buffer it is given.
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, isEvalSupported: false });
  } catch (err) {
    throw pdfError(err);
  }
  try {
    const pages: string[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const content = await (await pdf.getPage(n)).getTextContent();
      pages.push(pageText((content.items as unknown[]).filter(isTextItem)));
    }
    if (pages.every((p) => p.trim() === '')) throw new ReportFileError('scanned pages, no text: OCR is not supported');
    const pageStarts: number[] = [];
    let text = '';
    for (const page of pages) {
      if (text !== '') text += PAGE_SEPARATOR;
      pageStarts.push(text.length);
      text += page;
    }
    const { info } = (await pdf.getMetadata().catch(() => ({ info: {} }))) as { info: Record<string, unknown> };
    const title = cleanField(info.Title);
    return {
      format: 'pdf',
      text,
      meta: {
        title: title !== null && !PLACEHOLDER_TITLE.test(title) ? title : null,
        date: isoDate(info.CreationDate),
        url: null,
        author: authorField(info.Author),
      },
      pageStarts,
    };
  } catch (err) {
    throw err instanceof ReportFileError ? err : pdfError(err);
  } finally {
    await pdf.destroy();
  }
}
