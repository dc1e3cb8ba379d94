/**
 * Report metadata (title, date, URL, author): normalising the values readers find, the optional
 * `<file name>.meta.json` sidecar that overrides them, and the date fallback from the text's first lines.
 */
import * as chrono from 'chrono-node';
import { ReportFileError } from '../errors';
import type { ReportMeta } from './types';

/** Suffix of a sidecar file: `003.txt.meta.json` describes `003.txt`. */
export const SIDECAR_SUFFIX = '.meta.json';
/** Titles and authors longer than this are not metadata but pasted text. */
const MAX_FIELD_CHARS = 300;
/** A date in the text counts only near its top, where reports put their dateline. */
const DATE_LINES = 6;
const DATE_CHARS = 800;
/** Years outside this range are typos or placeholder dates (1970-01-01, 9999-12-31). */
const MIN_YEAR = 1900;
const MAX_YEAR = 2100;

export const NO_META: ReportMeta = { title: null, date: null, url: null, author: null };

/** Whitespace-collapsed text, or null for anything that is not a short non-empty string. */
export function cleanField(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat === '' || flat.length > MAX_FIELD_CHARS ? null : flat;
}

function validDay(year: number, month: number, day: number): string | null {
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A full date (year, month and day all written) in free text, via chrono's strict parser. */
function chronoDate(text: string): string | null {
  for (const result of chrono.strict.parse(text, new Date(Date.UTC(2000, 0, 1)))) {
    const c = result.start;
    // Relative phrases ("a day after", "in the week") come back "certain" against the reference date.
    if (!/\d{4}/.test(result.text)) continue;
    if (!c.isCertain('year') || !c.isCertain('month') || !c.isCertain('day')) continue;
    const day = validDay(c.get('year') ?? 0, c.get('month') ?? 0, c.get('day') ?? 0);
    if (day) return day;
  }
  return null;
}

/**
 * An ISO `YYYY-MM-DD` date from a metadata value: a Date (YAML front matter), an ISO date or
 * timestamp (its own calendar day, whatever the time zone), a PDF date (`D:20240820…`), or a
 * written date ("20 August 2024"). Null when no full, plausible date is there.
 */
export function isoDate(value: unknown): string | null {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? null : validDay(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
  }
  const text = cleanField(value);
  if (text === null) return null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T\s])/.exec(text);
  if (iso) return validDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const compact = /^(?:D:)?(\d{4})(\d{2})(\d{2})/.exec(text);
  if (compact) return validDay(Number(compact[1]), Number(compact[2]), Number(compact[3]));
  return chronoDate(text);
}

/** An absolute http(s) URL, or null. */
export function httpUrl(value: unknown): string | null {
  const text = cleanField(value);
  if (text === null) return null;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Authors as one string: a name, a list of names, or objects with a `name`. */
export function authorField(value: unknown): string | null {
  if (Array.isArray(value)) {
    const names = value.map(authorField).filter((n): n is string => n !== null);
    return names.length > 0 ? cleanField(names.join(', ')) : null;
  }
  if (typeof value === 'object' && value !== null && 'name' in value) return cleanField((value as { name: unknown }).name);
  return cleanField(value);
}

/** Metadata from a plain key/value record (front matter, sidecar). Unknown keys are ignored. */
export function metaFromRecord(record: Record<string, unknown>): ReportMeta {
  return {
    title: cleanField(record.title),
    date: isoDate(record.date ?? record.published ?? record.datePublished),
    url: httpUrl(record.url ?? record.link ?? record.source ?? record.canonical),
    author: authorField(record.author ?? record.authors),
  };
}

/** Field by field, the first known value in priority order. */
export function mergeMeta(...layers: ReadonlyArray<Partial<ReportMeta> | null>): ReportMeta {
  const pick = <K extends keyof ReportMeta>(key: K): ReportMeta[K] => {
    for (const layer of layers) {
      const value = layer?.[key];
      if (value !== undefined && value !== null) return value;
    }
    return null;
  };
  return { title: pick('title'), date: pick('date'), url: pick('url'), author: pick('author') };
}

/** A full date written in the first few lines of the text (a dateline), or null. */
export function dateInText(text: string): string | null {
  const lines = text.slice(0, DATE_CHARS).split('\n').filter((l) => l.trim() !== '').slice(0, DATE_LINES);
  for (const line of lines) {
    const date = chronoDate(line);
    if (date) return date;
  }
  return null;
}

/** A sidecar's metadata and the fields it got wrong. */
export interface Sidecar {
  meta: ReportMeta;
  /** Fields that were present but unusable, each with why (they are ignored; the rest applies). */
  problems: string[];
}

/**
 * Parses a sidecar: a JSON object with any of title, date, url and author.
 * @throws ReportFileError when it is not a JSON object (the whole sidecar is then ignored).
 */
export function parseSidecar(bytes: Buffer): Sidecar {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (cause) {
    throw new ReportFileError('not valid JSON, ignored', { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ReportFileError('not a JSON object with title, date, url or author, ignored');
  }
  const record = parsed as Record<string, unknown>;
  const meta = metaFromRecord(record);
  const problems: string[] = [];
  if (record.date !== undefined && meta.date === null) problems.push('"date" is not a full date (use YYYY-MM-DD), ignored');
  if (record.url !== undefined && meta.url === null) problems.push('"url" is not an http(s) link, ignored');
  if (record.title !== undefined && meta.title === null) problems.push('"title" is not a short text, ignored');
  return { meta, problems };
}
