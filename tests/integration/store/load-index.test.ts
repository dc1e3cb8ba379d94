import { cp, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILES } from '../../../src/store/layout';
import { loadIndex, loadIndexFrom } from '../../../src/store/load-index';
import { writeSyntheticCorpus } from '../../../scripts/synthetic-corpus';
import { LATENT_MIN_PASSAGES } from '../../../src/search/latent-scorer';
import { createSearcher } from '../../../src/search/searcher';
import { buildIndex } from '../../../src/store/build-index';
import { getOfflineEmbedder } from '../../helpers/offline-embedder';
import { seedIndex } from '../../helpers/seed-index';
import { useTempDirs } from '../../helpers/temp-dir';

const tempDir = useTempDirs();

/** A copy of the seed build folder with one file replaced by zeros of the same size (so the manifest's sizes still match). */
async function zeroedCopy(name: string): Promise<string> {
  const { index } = await seedIndex();
  const dir = await tempDir('build-');
  await cp(index.dir, dir, { recursive: true });
  await writeFile(path.join(dir, name), Buffer.alloc((await stat(path.join(dir, name))).size));
  return dir;
}

describe('loading a build folder while its graph loads', () => {
  it('loads the same passages and finds the same neighbours as the shared seed index', async () => {
    const { index } = await seedIndex();
    const again = await loadIndexFrom(index.dir);
    expect(again.passages.length).toBe(index.passages.length);
    const query = Array.from(index.vectorRow(3));
    expect(again.hnsw.searchKnn(query, 5)).toEqual(index.hnsw.searchKnn(query, 5));
  });

  it('reports a graph file it cannot use as INDEX_CORRUPT', async () => {
    const dir = await zeroedCopy(FILES.hnsw);
    await expect(loadIndexFrom(dir)).rejects.toMatchObject({ code: 'INDEX_CORRUPT', message: expect.stringContaining(FILES.hnsw) });
  });

  it('reports a broken passages file first when the graph is fine', async () => {
    const dir = await zeroedCopy(FILES.passages);
    await expect(loadIndexFrom(dir)).rejects.toMatchObject({ code: 'INDEX_CORRUPT', message: expect.stringContaining(FILES.passages) });
  });
});

describe('the corpus latent model on disk', () => {
  it('is stored empty for the seed reports (too few passages) and read back as none', async () => {
    const { index } = await seedIndex();
    expect((await stat(path.join(index.dir, FILES.latent))).size).toBe(0);
    expect(index.latent).toBeNull();
  });

  it('is fitted at build time for a corpus past the minimum, and read back as the build stored it', async () => {
    const reports = await tempDir('latent-reports-');
    await writeSyntheticCorpus(reports, 1500);
    const indexDir = await tempDir('latent-index-');
    await buildIndex({ reportsDir: reports, indexDir, embedder: await getOfflineEmbedder() });
    const index = await loadIndex(indexDir);
    expect(index.passages.length).toBeGreaterThanOrEqual(LATENT_MIN_PASSAGES);
    const latent = index.latent;
    expect(latent).toBeTruthy();
    expect(latent?.dims).toBeGreaterThan(10);
    expect(latent?.projection.length).toBe((latent?.terms.length ?? 0) * (latent?.dims ?? 0));
    // The searcher scores candidates with it: the same question ranks the same passages on every load.
    const searcher = createSearcher({ index, embedder: await getOfflineEmbedder() });
    const again = createSearcher({ index: await loadIndex(indexDir), embedder: await getOfflineEmbedder() });
    const top = (await searcher.search('drone attack on the city', { k: 3 })).hits.map((h) => h.passageId);
    expect(top.length).toBeGreaterThan(0);
    expect((await again.search('drone attack on the city', { k: 3 })).hits.map((h) => h.passageId)).toEqual(top);
  }, 120_000);
});
