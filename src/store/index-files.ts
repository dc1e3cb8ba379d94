/**
 * Writes a build's texts, passages, BM25 index and corpus words as the binary files the loader views
 * in place (the vectors and the hnsw graph are written beside them by the build).
 */
import path from 'node:path';
import type { Passage } from '../ingest/types';
import { bm25FromData, buildBm25Data } from '../search/bm25';
import { fitLatent } from '../search/latent-scorer';
import { encodeLatentParts } from './latent-file';
import { IndexError } from '../errors';
import { encodeBm25Parts, encodeTermList, type TermList } from './bm25-files';
import { FILES } from './layout';
import { CorpusFileError, encodeCorpus, type StoredReport } from './passage-store';

/** Writes one file durably (pieces in order, when given several) and returns its size in bytes. */
export type DurableWriter = (file: string, data: string | Uint8Array | readonly Uint8Array[]) => Promise<number>;

/** Writes reports.json, texts, passages.bin, bm25.bin, latent.bin and terms.bin into `dir`; returns their sizes by file name. */
export async function writeCorpusFiles(
  dir: string,
  reports: readonly StoredReport[],
  passages: readonly Passage[],
  terms: TermList,
  write: DurableWriter,
): Promise<Record<string, number>> {
  const files: Record<string, number> = {};
  await writeEncodedCorpus(dir, reports, passages, write, files);
  // The encoded texts are garbage by now: the BM25 arrays are built without them alongside, and written as views, not copied into one buffer.
  const bm25 = buildBm25Data(passages.map((p) => p.text));
  files[FILES.bm25] = await write(path.join(dir, FILES.bm25), encodeBm25Parts(bm25));
  files[FILES.latent] = await write(path.join(dir, FILES.latent), encodeLatentParts(fitLatent(bm25FromData(bm25, (doc) => passages[doc]?.text ?? ''))));
  files[FILES.terms] = await write(path.join(dir, FILES.terms), encodeTermList(terms));
  return files;
}

/** Encodes and writes reports.json, texts and passages.bin into `files`; nothing encoded outlives the call. */
async function writeEncodedCorpus(
  dir: string,
  reports: readonly StoredReport[],
  passages: readonly Passage[],
  write: DurableWriter,
  files: Record<string, number>,
): Promise<void> {
  let corpus: ReturnType<typeof encodeCorpus>;
  try {
    corpus = encodeCorpus(reports, passages);
  } catch (cause) {
    if (cause instanceof CorpusFileError) throw new IndexError('INDEX_CORRUPT', `Cannot store the passages: ${cause.message}.`, { cause });
    throw cause;
  }
  files[FILES.reports] = await write(path.join(dir, FILES.reports), corpus.reportsJson);
  files[FILES.texts] = await write(path.join(dir, FILES.texts), corpus.texts);
  files[FILES.passages] = await write(path.join(dir, FILES.passages), corpus.passages);
}
