/**
 * Writes a build's texts, passages, BM25 index and corpus words as the binary files the loader views
 * in place (the vectors and the hnsw graph are written beside them by the build).
 */
import path from 'node:path';
import type { Passage } from '../ingest/types';
import { buildBm25Data } from '../search/bm25';
import { IndexError } from '../errors';
import { encodeBm25, encodeTermList, type TermList } from './bm25-files';
import { FILES } from './layout';
import { CorpusFileError, encodeCorpus, type StoredReport } from './passage-store';

/** Writes one file durably and returns its size in bytes. */
export type DurableWriter = (file: string, data: string | Uint8Array) => Promise<number>;

/** Writes reports.json, texts, passages.bin, bm25.bin and terms.bin into `dir`; returns their sizes by file name. */
export async function writeCorpusFiles(
  dir: string,
  reports: readonly StoredReport[],
  passages: readonly Passage[],
  terms: TermList,
  write: DurableWriter,
): Promise<Record<string, number>> {
  let corpus: ReturnType<typeof encodeCorpus>;
  try {
    corpus = encodeCorpus(reports, passages);
  } catch (cause) {
    if (cause instanceof CorpusFileError) throw new IndexError('INDEX_CORRUPT', `Cannot store the passages: ${cause.message}.`, { cause });
    throw cause;
  }
  const files: Record<string, number> = {};
  files[FILES.reports] = await write(path.join(dir, FILES.reports), corpus.reportsJson);
  files[FILES.texts] = await write(path.join(dir, FILES.texts), corpus.texts);
  files[FILES.passages] = await write(path.join(dir, FILES.passages), corpus.passages);
  files[FILES.bm25] = await write(path.join(dir, FILES.bm25), encodeBm25(buildBm25Data(passages.map((p) => p.text))));
  files[FILES.terms] = await write(path.join(dir, FILES.terms), encodeTermList(terms));
  return files;
}
