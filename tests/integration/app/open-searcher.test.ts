/**
 * Start-up with a damaged index: `openSearcher` with rebuild 'if-stale' rebuilds an index that only a
 * full load finds broken (a truncated vectors file behind a valid manifest), once; with 'never' it
 * fails with a clear INDEX_CORRUPT error and the command that fixes it.
 */
import { truncate } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSearcher } from '../../../src/app';
import { describeError } from '../../../src/errors';
import { buildIndex } from '../../../src/store/build-index';
import { FILES } from '../../../src/store/layout';
import { getOfflineEmbedder, MODEL_CACHE_DIR } from '../../helpers/offline-embedder';
import { SEEDS_DIR } from '../../helpers/seed-index';
import { useTempDirs } from '../../helpers/temp-dir';

const tempDir = useTempDirs();

async function truncatedIndex(): Promise<{ indexDir: string; buildDir: string }> {
  const indexDir = await tempDir('startup-index-');
  const built = await buildIndex({ reportsDir: SEEDS_DIR, indexDir, embedder: await getOfflineEmbedder() });
  await truncate(path.join(built.dir, FILES.vectors), 100);
  return { indexDir, buildDir: built.dir };
}

function open(indexDir: string, rebuild: 'if-stale' | 'never', warnings: string[]): ReturnType<typeof openSearcher> {
  return openSearcher({
    reportsDir: SEEDS_DIR,
    indexDir,
    model: 'offline',
    modelCacheDir: MODEL_CACHE_DIR,
    rebuild,
    onWarning: (m) => warnings.push(`warning: ${m}`),
    onNotice: (m) => warnings.push(m),
  });
}

describe('opening the index at start-up', () => {
  it('rebuilds an index whose vectors file is truncated, then opens the rebuilt one without building again', async () => {
    const { indexDir, buildDir } = await truncatedIndex();
    const warnings: string[] = [];
    const opened = await open(indexDir, 'if-stale', warnings);
    expect(warnings[0]).toMatch(/^Building the index because it cannot be loaded \(The index in .+ is unusable: vectors\.f32 has 100 bytes/);
    expect(opened.built).not.toBeNull();
    expect(opened.buildDir).not.toBe(buildDir);
    expect(opened.buildDir).toBe(opened.built!.dir);
    expect((await opened.searcher.search('What did NATO promise about air defense?')).hits.length).toBeGreaterThan(0);

    const again: string[] = [];
    const reopened = await open(indexDir, 'if-stale', again);
    expect(reopened.built).toBeNull();
    expect(again).toEqual([]);
    expect(reopened.buildDir).toBe(opened.buildDir);
  });

  it("with rebuild 'never', fails with INDEX_CORRUPT naming the file and the fix", async () => {
    const { indexDir } = await truncatedIndex();
    const error = await open(indexDir, 'never', []).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toMatchObject({ code: 'INDEX_CORRUPT' });
    const message = describeError(error);
    expect(message).toContain('vectors.f32');
    expect(message).toContain('Rebuild it with: npm run build-index');
    expect(message).not.toMatch(/\n\s+at /);
  });
});
