/**
 * The BM25 index and the corpus words on disk: typed-array columns (see column-file.ts) written at
 * build time and viewed in place at load time, so loading never re-tokenizes a passage.
 */
import type { Bm25Data } from '../search/bm25';
import { type Column, column, type ColumnType, decodeColumns, decodeStrings, encodeColumnParts, encodeColumns, encodeStrings } from './column-file';

/** Serialises BM25 arrays (stems and surface forms as string columns). */
export function encodeBm25(data: Bm25Data): Buffer {
  return Buffer.concat(encodeBm25Parts(data));
}

/** `encodeBm25` as consecutive pieces that view the arrays in place, to write without a second copy. */
export function encodeBm25Parts(data: Bm25Data): Uint8Array[] {
  const terms = encodeStrings(data.terms);
  const surfaces = encodeStrings(data.surfaces);
  return encodeColumnParts({
    docCount: Uint32Array.of(data.docCount),
    termBytes: terms.bytes,
    termOffsets: terms.offsets,
    surfaceBytes: surfaces.bytes,
    surfaceOffsets: surfaces.offsets,
    surfaceTerms: data.surfaceTerms,
    lengths: data.lengths,
    postStart: data.postStart,
    postDocs: data.postDocs,
    postTfs: data.postTfs,
    blockStart: data.blockStart,
    blockMax: data.blockMax,
    blockLast: data.blockLast,
    termMax: data.termMax,
  });
}

function columnsOf(raw: Buffer): <T extends ColumnType>(name: string, type: T) => ReturnType<typeof column<T>> {
  const cols: Record<string, Column> = decodeColumns(raw);
  return (name, type) => column(cols, name, type);
}

/** Reads BM25 arrays written by `encodeBm25`; throws (plain Error) when they are inconsistent. */
export function decodeBm25(raw: Buffer): Bm25Data {
  const get = columnsOf(raw);
  const docCount = get('docCount', 'u32')[0] ?? 0;
  const terms = decodeStrings({ bytes: get('termBytes', 'u8'), offsets: get('termOffsets', 'u32') });
  const surfaces = decodeStrings({ bytes: get('surfaceBytes', 'u8'), offsets: get('surfaceOffsets', 'u32') });
  const data: Bm25Data = {
    docCount,
    terms,
    surfaces,
    surfaceTerms: get('surfaceTerms', 'u32'),
    lengths: get('lengths', 'u32'),
    postStart: get('postStart', 'u32'),
    postDocs: get('postDocs', 'i32'),
    postTfs: get('postTfs', 'u16'),
    blockStart: get('blockStart', 'u32'),
    blockMax: get('blockMax', 'f64'),
    blockLast: get('blockLast', 'i32'),
    termMax: get('termMax', 'f64'),
  };
  const t = terms.length;
  const postings = data.postDocs.length;
  const blocks = data.blockMax.length;
  const problems = [
    data.lengths.length !== docCount && 'lengths',
    data.surfaceTerms.length !== surfaces.length && 'surface terms',
    (data.postStart.length !== t + 1 || data.postStart[t] !== postings) && 'posting starts',
    data.postTfs.length !== postings && 'term frequencies',
    (data.blockStart.length !== t + 1 || data.blockStart[t] !== blocks) && 'block starts',
    data.blockLast.length !== blocks && 'block ends',
    data.termMax.length !== t && 'term maxima',
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`BM25 ${problems.join(', ')} do not match`);
  for (let i = 0; i < postings; i++) {
    const d = data.postDocs[i] ?? -1;
    if (d < 0 || d >= docCount) throw new Error(`BM25 posting ${i} names document ${d} of ${docCount}`);
  }
  for (let i = 0; i < data.surfaceTerms.length; i++) if ((data.surfaceTerms[i] ?? t) >= t) throw new Error(`BM25 surface form ${i} names no term`);
  return data;
}

/** Corpus words and their English ranks (null when the build had none). */
export interface TermList {
  words: string[];
  ranks: number[] | null;
  /** Rows whose vector was induced from the word's contexts (see embed/a-la-carte). */
  induced?: number[];
}

/** Serialises the corpus words (and ranks). */
export function encodeTermList(list: TermList): Buffer {
  const words = encodeStrings(list.words);
  const columns: Record<string, Column> = { wordBytes: words.bytes, wordOffsets: words.offsets };
  if (list.ranks) columns.ranks = Uint32Array.from(list.ranks);
  columns.induced = Uint32Array.from(list.induced ?? []);
  return encodeColumns(columns);
}

/** Reads corpus words written by `encodeTermList`. */
export function decodeTermList(raw: Buffer): TermList {
  const cols = decodeColumns(raw);
  const words = decodeStrings({ bytes: column(cols, 'wordBytes', 'u8'), offsets: column(cols, 'wordOffsets', 'u32') });
  const ranks = cols.ranks ? Array.from(column(cols, 'ranks', 'u32')) : null;
  if (ranks && ranks.length !== words.length) throw new Error(`${ranks.length} ranks for ${words.length} words`);
  const induced = cols.induced ? Array.from(column(cols, 'induced', 'u32')) : [];
  if (induced.some((i) => i >= words.length)) throw new Error('an induced row lies outside the word list');
  return { words, ranks, induced };
}
