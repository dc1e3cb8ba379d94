/**
 * Reports and passages without a JS object per passage: report texts live in one UTF-8 file (read
 * from disk per passage, or held as one buffer), passage fields in typed-array columns, and a
 * `Passage` object is made only when one is asked for.
 * The same interfaces wrap plain arrays (the Postgres store, in-memory evaluation indexes).
 */
import { readSync } from 'node:fs';
import type { Passage, Report } from '../ingest/types';
import { type Column, column, decodeColumns, encodeColumns, encodeStrings, type StringColumn } from './column-file';
import { createLruCache } from '../cache/lru-cache';

/** A report as the index stores it: its extracted text and metadata. */
export type StoredReport = Omit<Report, 'sourceHash'>;

/** A stored report's metadata, without its text. */
export type ReportInfo = Omit<StoredReport, 'text'>;

/** The reports of an index, by position. */
export interface ReportStore extends Iterable<StoredReport> {
  readonly length: number;
  /** Position of the report with this path, or -1. */
  indexOf(path: string): number;
  info(r: number): ReportInfo;
  text(r: number): string;
  /** The report with its text. */
  get(r: number): StoredReport;
  toArray(): StoredReport[];
}

/** The passages of an index, by position (the document number of BM25 and the vector row). */
export interface PassageStore extends Iterable<Passage> {
  readonly length: number;
  /** The passage as an object (made on demand). Throws RangeError outside 0..length-1. */
  get(i: number): Passage;
  toArray(): Passage[];
  /** Position of the passage with this id, or -1. */
  indexOf(id: string): number;
  id(i: number): string;
  /** Position of the passage's report in the report store. */
  report(i: number): number;
  /** Path of the passage's report. */
  source(i: number): string;
  start(i: number): number;
  end(i: number): number;
  paragraph(i: number): number;
  heading(i: number): string | null;
  comment(i: number): boolean;
  /** Verbatim text: the report's text from start to end. */
  text(i: number): string;
}

/** Report and passage stores of one index. */
export interface Corpus {
  reports: ReportStore;
  passages: PassageStore;
}

/** Problems decoding stored files; the loader turns these into INDEX_CORRUPT. */
export class CorpusFileError extends Error {}

function checkRange(i: number, length: number): void {
  if (!(i >= 0 && i < length) || !Number.isInteger(i)) throw new RangeError(`position ${i} is outside 0..${length - 1}`);
}

function* iterate<T>(length: number, get: (i: number) => T): Generator<T> {
  for (let i = 0; i < length; i++) yield get(i);
}

/** Stores over plain arrays (every passage's report must be among `reports`). */
export function memoryCorpus(reports: readonly StoredReport[], passages: readonly Passage[]): Corpus {
  const reportPos = new Map(reports.map((r, i) => [r.path, i]));
  const passagePos = new Map<string, number>();
  passages.forEach((p, i) => {
    if (!passagePos.has(p.id)) passagePos.set(p.id, i);
  });
  const at = (i: number): Passage => {
    checkRange(i, passages.length);
    return passages[i] as Passage;
  };
  const reportAt = (r: number): StoredReport => {
    checkRange(r, reports.length);
    return reports[r] as StoredReport;
  };
  const reportStore: ReportStore = {
    length: reports.length,
    indexOf: (path) => reportPos.get(path) ?? -1,
    info: (r) => {
      const { text: _text, ...info } = reportAt(r);
      return info;
    },
    text: (r) => reportAt(r).text,
    get: reportAt,
    toArray: () => [...reports],
    [Symbol.iterator]: () => iterate(reports.length, reportAt),
  };
  const passageStore: PassageStore = {
    length: passages.length,
    get: at,
    toArray: () => [...passages],
    indexOf: (id) => passagePos.get(id) ?? -1,
    id: (i) => at(i).id,
    report: (i) => reportPos.get(at(i).source) ?? -1,
    source: (i) => at(i).source,
    start: (i) => at(i).start,
    end: (i) => at(i).end,
    paragraph: (i) => at(i).paragraph,
    heading: (i) => at(i).heading,
    comment: (i) => at(i).comment === true,
    text: (i) => at(i).text,
    [Symbol.iterator]: () => iterate(passages.length, at),
  };
  return { reports: reportStore, passages: passageStore };
}

/** The files a corpus is written to: report metadata (JSON, one entry per report), all texts, passage columns. */
export interface CorpusFiles {
  reportsJson: string;
  texts: Buffer;
  passages: Buffer;
}

const asBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength);

/**
 * Byte offsets in `text`'s UTF-8 encoding of the given character offsets (any order): one pass over
 * the text in ascending offset order.
 */
function byteOffsets(text: string, chars: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  const sorted = [...new Set(chars)].sort((a, b) => a - b);
  let char = 0;
  let byte = 0;
  for (const c of sorted) {
    byte += Buffer.byteLength(text.slice(char, c));
    char = c;
    out.set(c, byte);
  }
  return out;
}

/** Encodes reports and passages into the corpus files. Throws CorpusFileError if a passage is not a slice of its report. */
export function encodeCorpus(reports: readonly StoredReport[], passages: readonly Passage[]): CorpusFiles {
  const reportPos = new Map(reports.map((r, i) => [r.path, i]));
  // One buffer of the exact size, filled report by report: no per-report copies held beside the concatenation.
  const textBytes = reports.reduce((sum, r) => sum + Buffer.byteLength(r.text, 'utf8'), 0);
  if (textBytes >= 2 ** 32) throw new CorpusFileError(`the report texts take ${textBytes} bytes, more than 4 GiB`);
  const texts = Buffer.allocUnsafe(textBytes);
  const reportBytes = new Float64Array(reports.length + 1);
  const byReport: number[][] = reports.map(() => []);
  passages.forEach((p, i) => {
    const r = reportPos.get(p.source);
    if (r === undefined) throw new CorpusFileError(`passage ${p.id} belongs to no stored report (${p.source})`);
    byReport[r]?.push(i);
  });
  const n = passages.length;
  const report = new Uint32Array(n);
  const start = new Uint32Array(n);
  const end = new Uint32Array(n);
  const byteStart = new Uint32Array(n);
  const byteEnd = new Uint32Array(n);
  const paragraph = new Uint32Array(n);
  const heading = new Int32Array(n).fill(-1);
  const comment = new Uint8Array(n);
  const headings: string[] = [];
  const headingPos = new Map<string, number>();
  let total = 0;
  reports.forEach((r, ri) => {
    const written = texts.write(r.text, total, 'utf8');
    const bytes = texts.subarray(total, total + written);
    const own = byReport[ri] ?? [];
    const ascii = bytes.byteLength === r.text.length;
    const offsets = ascii ? null : byteOffsets(r.text, own.flatMap((i) => [passages[i]?.start ?? 0, passages[i]?.end ?? 0]));
    for (const i of own) {
      const p = passages[i] as Passage;
      if (p.start < 0 || p.end > r.text.length || p.start >= p.end || r.text.slice(p.start, p.end) !== p.text) {
        throw new CorpusFileError(`passage ${p.id} is not a verbatim slice of ${p.source}`);
      }
      const bs = total + (offsets ? (offsets.get(p.start) ?? 0) : p.start);
      const be = total + (offsets ? (offsets.get(p.end) ?? 0) : p.end);
      // A passage edge inside a surrogate pair would not survive UTF-8: refuse rather than store a changed quote.
      if (offsets && bytes.toString('utf8', bs - total, be - total) !== p.text) throw new CorpusFileError(`passage ${p.id} does not survive UTF-8 encoding`);
      report[i] = ri;
      start[i] = p.start;
      end[i] = p.end;
      byteStart[i] = bs;
      byteEnd[i] = be;
      paragraph[i] = p.paragraph;
      comment[i] = p.comment === true ? 1 : 0;
      if (p.heading !== null) {
        let h = headingPos.get(p.heading);
        if (h === undefined) {
          h = headings.length;
          headingPos.set(p.heading, h);
          headings.push(p.heading);
        }
        heading[i] = h;
      }
    }
    total += bytes.byteLength;
    reportBytes[ri + 1] = total;
  });
  const ids = encodeStrings(passages.map((p) => p.id));
  const idOrder = Uint32Array.from(passages.keys()).sort((a, b) => {
    const x = passages[a]?.id ?? '';
    const y = passages[b]?.id ?? '';
    return x < y ? -1 : x > y ? 1 : a - b;
  });
  const headingColumn = encodeStrings(headings);
  const reportsJson = JSON.stringify(reports.map(({ text: _text, ...info }) => info));
  const columns: Record<string, Column> = {
    report,
    start,
    end,
    byteStart,
    byteEnd,
    paragraph,
    heading,
    comment,
    idBytes: ids.bytes,
    idOffsets: ids.offsets,
    idOrder,
    headingBytes: headingColumn.bytes,
    headingOffsets: headingColumn.offsets,
    reportBytes: Uint32Array.from(reportBytes),
  };
  return { reportsJson, texts, passages: encodeColumns(columns) };
}

/** UTF-8 text by byte range: the texts file on disk or in memory. */
export interface TextSource {
  readonly byteLength: number;
  /** The text of bytes [start, end). */
  read(start: number, end: number): string;
}

/** Texts held in memory as one buffer. */
export function bufferTextSource(texts: Buffer): TextSource {
  return { byteLength: texts.byteLength, read: (start, end) => texts.toString('utf8', start, end) };
}

/** Bytes read at once for passage texts; longer reads (whole reports) get a buffer of their own. */
const READ_SCRATCH_BYTES = 64 * 1024;

/**
 * Texts read from an open file by position, so they take page cache rather than process memory.
 * The caller owns `fd` (it must stay open while the source is used).
 */
export function fileTextSource(fd: number, byteLength: number): TextSource {
  const scratch = Buffer.allocUnsafe(READ_SCRATCH_BYTES);
  return {
    byteLength,
    read(start, end) {
      const length = end - start;
      const buf = length <= scratch.byteLength ? scratch : Buffer.allocUnsafe(length);
      let got = 0;
      while (got < length) {
        const n = readSync(fd, buf, got, length - got, start + got);
        if (n === 0) throw new CorpusFileError(`the texts file ends at ${start + got} bytes, before ${end}`);
        got += n;
      }
      return buf.toString('utf8', 0, length);
    },
  };
}

/** Reports whose decoded text is kept: a search touches a few dozen reports, mostly the same ones. */
const REPORT_TEXT_CACHE = 256;
/**
 * Passage texts kept by `text` (least recently used dropped first): one search reads its few dozen
 * candidates' texts several times (feedback, ranker, dedupe, highlights), and popular passages come
 * back question after question; 16k texts of ~500 characters take about 10 MB.
 */
const PASSAGE_TEXT_CACHE = 16_384;

/**
 * Stores over the corpus files. `reports` is the parsed reports JSON; passage columns are viewed in
 * place in the raw file bytes; texts are read from `texts` on demand. Throws CorpusFileError when the files disagree.
 */
export function decodeCorpus(reports: ReportInfo[], texts: TextSource, passageFile: Buffer): Corpus {
  let cols: Record<string, Column>;
  try {
    cols = decodeColumns(passageFile);
  } catch (cause) {
    throw new CorpusFileError(`passage columns are unreadable: ${(cause as Error).message}`, { cause });
  }
  const get = <T extends Parameters<typeof column>[2]>(name: string, type: T) => {
    try {
      return column(cols, name, type);
    } catch (cause) {
      throw new CorpusFileError((cause as Error).message, { cause });
    }
  };
  const report = get('report', 'u32');
  const n = report.length;
  const start = get('start', 'u32');
  const end = get('end', 'u32');
  const byteStart = get('byteStart', 'u32');
  const byteEnd = get('byteEnd', 'u32');
  const paragraph = get('paragraph', 'u32');
  const heading = get('heading', 'i32');
  const comment = get('comment', 'u8');
  const ids: StringColumn = { bytes: get('idBytes', 'u8'), offsets: get('idOffsets', 'u32') };
  const idOrder = get('idOrder', 'u32');
  const headingsCol: StringColumn = { bytes: get('headingBytes', 'u8'), offsets: get('headingOffsets', 'u32') };
  const reportBytes = get('reportBytes', 'u32');
  for (const [name, c] of [['start', start], ['end', end], ['byteStart', byteStart], ['byteEnd', byteEnd], ['paragraph', paragraph], ['heading', heading], ['comment', comment], ['idOrder', idOrder]] as const) {
    if (c.length !== n) throw new CorpusFileError(`column ${name} has ${c.length} rows for ${n} passages`);
  }
  if (ids.offsets.length !== n + 1) throw new CorpusFileError(`passage ids do not match ${n} passages`);
  if (reportBytes.length !== reports.length + 1) throw new CorpusFileError(`text offsets cover ${reportBytes.length - 1} reports, not ${reports.length}`);
  if ((reportBytes[reports.length] ?? 0) !== texts.byteLength) throw new CorpusFileError(`texts hold ${texts.byteLength} bytes, the offsets ${reportBytes[reports.length] ?? 0}`);
  for (let i = 0; i < n; i++) {
    const r = report[i] ?? 0;
    const bs = byteStart[i] ?? 0;
    const be = byteEnd[i] ?? 0;
    if (r >= reports.length || bs >= be || bs < (reportBytes[r] ?? 0) || be > (reportBytes[r + 1] ?? 0) || (start[i] ?? 0) >= (end[i] ?? 0)) {
      throw new CorpusFileError(`passage ${i} points outside its report`);
    }
  }
  const idBuf = asBuffer(ids.bytes);
  const headingBuf = asBuffer(headingsCol.bytes);
  const headingCache = new Map<number, string>();
  const reportPos = new Map(reports.map((r, i) => [r.path, i]));
  const textCache = new Map<number, string>();

  const reportText = (r: number): string => {
    checkRange(r, reports.length);
    let text = textCache.get(r);
    if (text === undefined) {
      if (textCache.size >= REPORT_TEXT_CACHE) textCache.delete(textCache.keys().next().value as number);
      text = texts.read(reportBytes[r] ?? 0, reportBytes[r + 1] ?? 0);
      textCache.set(r, text);
    }
    return text;
  };
  const reportAt = (r: number): StoredReport => ({ ...(reports[r] as ReportInfo), text: reportText(r) });
  const reportStore: ReportStore = {
    length: reports.length,
    indexOf: (path) => reportPos.get(path) ?? -1,
    info: (r) => {
      checkRange(r, reports.length);
      return reports[r] as ReportInfo;
    },
    text: reportText,
    get: reportAt,
    toArray: () => reports.map((_, r) => reportAt(r)),
    [Symbol.iterator]: () => iterate(reports.length, reportAt),
  };

  const id = (i: number): string => idBuf.toString('utf8', ids.offsets[i] ?? 0, ids.offsets[i + 1] ?? 0);
  const headingOf = (i: number): string | null => {
    const h = heading[i] ?? -1;
    if (h < 0) return null;
    let s = headingCache.get(h);
    if (s === undefined) headingCache.set(h, (s = headingBuf.toString('utf8', headingsCol.offsets[h] ?? 0, headingsCol.offsets[h + 1] ?? 0)));
    return s;
  };
  const text = (i: number): string => texts.read(byteStart[i] ?? 0, byteEnd[i] ?? 0);
  const passageTexts = createLruCache<number, string>(PASSAGE_TEXT_CACHE);
  const passageAt = (i: number): Passage => {
    checkRange(i, n);
    const p: Passage = {
      id: id(i),
      source: (reports[report[i] ?? 0] as ReportInfo).path,
      start: start[i] ?? 0,
      end: end[i] ?? 0,
      paragraph: paragraph[i] ?? 0,
      heading: headingOf(i),
      text: text(i),
    };
    if (comment[i] === 1) p.comment = true;
    return p;
  };
  const passageStore: PassageStore = {
    length: n,
    get: passageAt,
    toArray: () => Array.from({ length: n }, (_, i) => passageAt(i)),
    indexOf(wanted) {
      // Binary search over the ids in sorted order; the first of equal ids is the one kept.
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (id(idOrder[mid] ?? 0) < wanted) lo = mid + 1;
        else hi = mid;
      }
      return lo < n && id(idOrder[lo] ?? 0) === wanted ? (idOrder[lo] ?? -1) : -1;
    },
    id: (i) => {
      checkRange(i, n);
      return id(i);
    },
    report: (i) => {
      checkRange(i, n);
      return report[i] ?? 0;
    },
    source: (i) => {
      checkRange(i, n);
      return (reports[report[i] ?? 0] as ReportInfo).path;
    },
    start: (i) => start[i] ?? 0,
    end: (i) => end[i] ?? 0,
    paragraph: (i) => paragraph[i] ?? 0,
    heading: headingOf,
    comment: (i) => comment[i] === 1,
    text: (i) => {
      checkRange(i, n);
      return passageTexts.getOrSet(i, () => text(i));
    },
    [Symbol.iterator]: () => iterate(n, passageAt),
  };
  return { reports: reportStore, passages: passageStore };
}
