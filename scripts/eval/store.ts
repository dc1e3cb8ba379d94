/**
 * `npm run eval -- store`: builds the seeds into a temporary local index and into the Postgres
 * store at DATABASE_URL, asks both every question of the seed fixture, and compares the top 3.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openPgStore } from '../../src/app';
import { englishRanks } from '../../src/embed/english-ranks';
import type { Embedder } from '../../src/embed/types';
import { createSearcher } from '../../src/search/searcher';
import type { SearchMode, Searcher } from '../../src/search/types';
import { buildIndex } from '../../src/store/build-index';
import { loadIndex } from '../../src/store/load-index';

async function overlap(a: Searcher, b: Searcher, questions: string[], mode: SearchMode): Promise<{ meanOverlapTop3: number; identicalTop3: number }> {
  let sum = 0;
  let identical = 0;
  const key = (h: { source: string; start: number; end: number }): string => `${h.source}:${h.start}-${h.end}`;
  for (const q of questions) {
    const ta = (await a.search(q, { k: 3, mode })).hits.map(key);
    const tb = (await b.search(q, { k: 3, mode })).hits.map(key);
    const size = Math.max(ta.length, tb.length);
    sum += size === 0 ? 1 : ta.filter((k) => tb.includes(k)).length / size;
    if (ta.join() === tb.join()) identical++;
  }
  return { meanOverlapTop3: Number((sum / questions.length).toFixed(4)), identicalTop3: identical };
}

export async function evalStore(embedder: Embedder, cacheDir: string): Promise<unknown> {
  const pg = openPgStore(process.env.DATABASE_URL);
  if (pg === null) throw new Error('eval store needs DATABASE_URL (postgres://…) of a database with pgvector.');
  const dir = await mkdtemp(path.join(tmpdir(), 'eval-store-'));
  try {
    const ranks = await englishRanks(cacheDir);
    await buildIndex({ reportsDir: 'seeds', indexDir: dir, embedder, englishRanks: ranks });
    const started = performance.now();
    const summary = await pg.store.build({ reportsDir: 'seeds', embedder, englishRanks: ranks });
    const pgBuildSeconds = (performance.now() - started) / 1000;
    const local = createSearcher({ index: await loadIndex(dir), embedder });
    const remote = createSearcher({ index: await pg.store.load(), embedder });
    const fixture = JSON.parse(await readFile('tests/fixtures/seed-questions.json', 'utf8')) as Record<string, Array<{ question: string }>>;
    const questions = Object.values(fixture).flat().map((q) => q.question);
    return {
      questions: questions.length,
      passages: summary.passages,
      pgBuildSeconds: Number(pgBuildSeconds.toFixed(2)),
      hybrid: await overlap(local, remote, questions, 'hybrid'),
      dense: await overlap(local, remote, questions, 'dense'),
      lexical: await overlap(local, remote, questions, 'lexical'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await pg.client.close();
  }
}
