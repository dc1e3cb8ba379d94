/**
 * Writes a build's texts, passages, BM25 index and corpus words as the binary files the loader views
 * in place (the vectors and the hnsw graph are written beside them by the build).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Passage } from '../ingest/types';
import { bm25FromData, buildBm25Data } from '../search/bm25';
import { fitLatent } from '../search/latent-scorer';
import { encodeLatentParts } from './latent-file';
import { IndexError } from '../errors';
import { encodeBm25Parts, encodeTermList, type TermList } from './bm25-files';
import { collectGarbage } from './collect-garbage';
import { FILES } from './layout';
import { bufferTextSource, CorpusFileError, type CorpusFiles, decodeCorpus, encodeCorpus, type PassageStore, type ReportInfo, type ReportStore, type StoredReport } from './passage-store';

/** Writes one file durably (pieces in order, when given several) and returns its size in bytes. */
export type DurableWriter = (file: string, data: string | Uint8Array | readonly Uint8Array[]) => Promise<number>;

/**
 * Encodes and writes reports.json, texts and passages.bin into `dir`; returns their sizes by file name.
 * Nothing encoded outlives the call. IndexError when a passage cannot be stored.
 */
export async function writeCorpus(dir: string, reports: readonly StoredReport[], passages: readonly Passage[], write: DurableWriter): Promise<Record<string, number>> {
  let corpus: CorpusFiles;
  try {
    corpus = encodeCorpus(reports, passages);
  } catch (cause) {
    if (cause instanceof CorpusFileError) throw new IndexError('INDEX_CORRUPT', `Cannot store the passages: ${cause.message}.`, { cause });
    throw cause;
  }
  return {
    [FILES.reports]: await write(path.join(dir, FILES.reports), corpus.reportsJson),
    [FILES.texts]: await write(path.join(dir, FILES.texts), corpus.texts),
    [FILES.passages]: await write(path.join(dir, FILES.passages), corpus.passages),
  };
}

/**
 * Writes bm25.bin, latent.bin and terms.bin into `dir`, reading the passages back from the corpus files
 * writeCorpus put there (so nobody need hold the passages meanwhile); returns their sizes by file name.
 */
export async function writeSearchFiles(dir: string, terms: TermList, write: DurableWriter): Promise<Record<string, number>> {
  const files: Record<string, number> = {};
  const info = JSON.parse(await readFile(path.join(dir, FILES.reports), 'utf8')) as ReportInfo[];
  const texts = await readFile(path.join(dir, FILES.texts));
  const { reports, passages } = decodeCorpus(info, bufferTextSource(texts), await readFile(path.join(dir, FILES.passages)));
  const bm25 = buildBm25Data(textsInOrder(reports, passages));
  files[FILES.bm25] = await write(path.join(dir, FILES.bm25), encodeBm25Parts(bm25));
  collectGarbage();
  files[FILES.latent] = await write(path.join(dir, FILES.latent), encodeLatentParts(fitLatent(bm25FromData(bm25, (doc) => passages.text(doc)))));
  files[FILES.terms] = await write(path.join(dir, FILES.terms), encodeTermList(terms));
  return files;
}

/** The texts of all passages in order, one at a time: each report's text is decoded once, not each passage's. */
function* textsInOrder(reports: ReportStore, passages: PassageStore): Generator<string> {
  let current = -1;
  let text = '';
  for (let doc = 0; doc < passages.length; doc++) {
    const r = passages.report(doc);
    if (r !== current) {
      current = r;
      text = reports.text(r);
    }
    yield text.slice(passages.start(doc), passages.end(doc));
  }
}
