/** Markdown reports (.md): YAML front matter read as metadata (gray-matter); the body is the report text. */
import matter from 'gray-matter';
import { ReportFileError } from '../errors';
import { metaFromRecord, NO_META } from './metadata';
import { decodeTextFile } from './read-text';
import type { ExtractedReport } from './types';

function refuse(): never {
  throw new Error('only YAML front matter is read');
}

/**
 * gray-matter would evaluate `---js` front matter as code; only YAML is allowed. Passing options
 * also turns off gray-matter's cache, which would keep every report's text in memory.
 */
const MATTER_OPTIONS = { engines: { js: refuse, javascript: refuse, coffee: refuse, coffeescript: refuse, cson: refuse } };

/** Reads a Markdown report; its front matter (title, date, url, author) becomes its metadata. */
export async function readMarkdown(bytes: Buffer): Promise<ExtractedReport> {
  const source = decodeTextFile(bytes);
  let parsed;
  try {
    parsed = matter(source, MATTER_OPTIONS as Parameters<typeof matter>[1]);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new ReportFileError(`front matter could not be read (${detail})`, { cause });
  }
  const data = parsed.data as Record<string, unknown>;
  const text = parsed.content;
  if (text.trim() === '') throw new ReportFileError('no text after the front matter');
  return { format: 'markdown', text, meta: Object.keys(data).length > 0 ? metaFromRecord(data) : NO_META, pageStarts: null };
}
