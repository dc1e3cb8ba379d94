/**
 * Word reports (.docx): the document's text through mammoth (one line per paragraph) and the
 * core properties (docProps/core.xml: title, creator, created). The archive is checked first.
 */
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { ReportFileError } from '../errors';
import { authorField, cleanField, isoDate } from './metadata';
import type { ExtractedReport, ReportMeta } from './types';
import { checkZip } from './zip-guard';

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function xmlText(xml: string, tag: string): string | null {
  const match = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`).exec(xml);
  if (!match) return null;
  return (match[1] ?? '').replace(/&(#x?[0-9a-f]+|\w+);/gi, (whole, ref: string) => {
    if (ref.startsWith('#x') || ref.startsWith('#X')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    return XML_ENTITIES[ref] ?? whole;
  });
}

async function coreProperties(bytes: Buffer): Promise<ReportMeta> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file('docProps/core.xml')?.async('string');
  if (xml === undefined) return { title: null, date: null, url: null, author: null };
  return {
    title: cleanField(xmlText(xml, 'dc:title')),
    date: isoDate(xmlText(xml, 'dcterms:created')),
    url: null,
    author: authorField(xmlText(xml, 'dc:creator')),
  };
}

/** Reads a DOCX report. */
export async function readDocx(bytes: Buffer): Promise<ExtractedReport> {
  checkZip(bytes);
  let raw: string;
  let meta: ReportMeta;
  try {
    raw = (await mammoth.extractRawText({ buffer: bytes })).value;
    meta = await coreProperties(bytes);
  } catch (cause) {
    const detail = cause instanceof Error ? (cause.message.split('\n')[0] ?? '') : String(cause);
    if (/main document part/i.test(detail)) throw new ReportFileError('not a Word document (the archive has no word/document.xml)', { cause });
    throw new ReportFileError(`corrupt DOCX (${detail})`, { cause });
  }
  // mammoth ends every paragraph with a blank line; keep one line per paragraph, no blank runs.
  const text = raw.replace(/\r\n?/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  if (text === '') throw new ReportFileError('the document has no text');
  return { format: 'docx', text, meta, pageStarts: null };
}
