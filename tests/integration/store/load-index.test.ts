import { cp, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILES } from '../../../src/store/layout';
import { loadIndexFrom } from '../../../src/store/load-index';
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
