import { cp, readFile, readdir, readlink, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Embedder } from '../../../src/embed/types';
import { createSearcher } from '../../../src/search/searcher';
import { buildIndex } from '../../../src/store/build-index';
import { FILES } from '../../../src/store/layout';
import { loadIndex } from '../../../src/store/load-index';
import { acquireBuildLock } from '../../../src/store/lock';
import { FORMAT_VERSION } from '../../../src/store/manifest';
import { getOfflineEmbedder } from '../../helpers/offline-embedder';
import { SEEDS_DIR, seedIndex } from '../../helpers/seed-index';
import { useTempDirs } from '../../helpers/temp-dir';

const tempDir = useTempDirs();

async function copySeeds(): Promise<string> {
  const dir = await tempDir('reports-');
  await cp(SEEDS_DIR, dir, { recursive: true });
  return dir;
}

describe('index on disk', () => {
  it('stores every passage with offsets that slice its report verbatim', async () => {
    const { index, summary } = await seedIndex();
    expect(summary.reports).toBe(5);
    expect(summary.duplicatesRemoved).toBeGreaterThan(0);
    expect(index.passages.length).toBe(summary.passages);
    for (const p of index.passages) {
      const original = await readFile(path.join(SEEDS_DIR, p.source), 'utf8');
      expect(original.slice(p.start, p.end)).toBe(p.text);
    }
  });

  it('records model, corpus hashes, chunking and calibration in the manifest', async () => {
    const { index } = await seedIndex();
    const m = index.manifest;
    expect(m.model).toMatchObject({ id: 'offline/glove-sif-100d', dims: 100, pooling: 'mean', offline: true });
    expect(m.model.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(m.corpus.reports.map((r) => r.path)).toEqual(['000_b37f0f623e6a3c91.txt', '001_1acd37ffbbe669fc.txt', '002_90dd58c29e99378f.txt', '003_9a57778b51dc72a5.txt', '004_fec8b3c843a67b77.txt']);
    expect(m.corpus.reports.every((r) => /^[0-9a-f]{64}$/.test(r.hash))).toBe(true);
    expect(m.chunking.maxWords).toBe(150);
    expect(m.hnsw.efSearch).toBeGreaterThanOrEqual(100);
    expect(m.calibration.denseNull.std).toBeGreaterThan(0);
    expect(Date.parse(m.builtAt)).not.toBeNaN();
  });

  it('gives the same passage ids when an unchanged corpus is rebuilt, reusing every vector', async () => {
    const embedder = await getOfflineEmbedder();
    const dir = await tempDir('idx-');
    await buildIndex({ reportsDir: SEEDS_DIR, indexDir: dir, embedder });
    const first = await loadIndex(dir);
    const again = await buildIndex({ reportsDir: SEEDS_DIR, indexDir: dir, embedder });
    const second = await loadIndex(dir);
    expect(second.passages.toArray().map((p) => p.id)).toEqual(first.passages.toArray().map((p) => p.id));
    expect(again).toMatchObject({ reused: first.passages.length, embedded: 0, removed: 0 });
    expect(second.dir).not.toBe(first.dir);
  });

  it('re-embeds only changed passages and drops those of removed reports', async () => {
    const embedder = await getOfflineEmbedder();
    const reports = await copySeeds();
    const dir = await tempDir('idx-');
    const first = await buildIndex({ reportsDir: reports, indexDir: dir, embedder });
    const gone = (await loadIndex(dir)).passages.toArray().filter((p) => p.source.startsWith('003')).length;
    await writeFile(path.join(reports, '003_9a57778b51dc72a5.txt'), '');
    await writeFile(path.join(reports, '005_new.txt'), 'A new report says the bridge at Zatoka was struck again by drones overnight, cutting the road to the coast for hours while crews worked.');
    const second = await buildIndex({ reportsDir: reports, indexDir: dir, embedder });
    expect(second.embedded).toBe(1);
    expect(second.removed).toBe(gone);
    expect(second.reused).toBe(first.passages - gone);
    expect(second.skipped).toEqual([{ path: '003_9a57778b51dc72a5.txt', reason: 'empty file' }]);
  });

  it('refuses to search with another model than the one that built the index', async () => {
    const { index } = await seedIndex();
    const real = await getOfflineEmbedder();
    const other: Embedder = { ...real, info: { ...real.info, id: 'Xenova/other-model', fingerprint: '0123456789abcdef' }, embedQuery: real.embedQuery, embedPassages: real.embedPassages };
    expect(() => createSearcher({ index, embedder: other })).toThrow(expect.objectContaining({ code: 'INDEX_MODEL_MISMATCH' }));
    const otherDims: Embedder = { ...other, info: { ...real.info, dims: 384 } };
    expect(() => createSearcher({ index, embedder: otherDims })).toThrow(/384 dims/);
  });

  it('reports a missing index with the command that builds it', async () => {
    const dir = await tempDir('idx-');
    await expect(loadIndex(dir)).rejects.toMatchObject({ code: 'INDEX_MISSING', hint: expect.stringContaining('npm run build-index') });
  });

  it('detects truncated and unreadable files', async () => {
    const embedder = await getOfflineEmbedder();
    const dir = await tempDir('idx-');
    const built = await buildIndex({ reportsDir: SEEDS_DIR, indexDir: dir, embedder });
    await truncate(path.join(built.dir, FILES.vectors), 100);
    await expect(loadIndex(dir)).rejects.toMatchObject({ code: 'INDEX_CORRUPT', message: expect.stringContaining('vectors.f32') });
    await writeFile(path.join(built.dir, FILES.manifest), '{not json');
    await expect(loadIndex(dir)).rejects.toMatchObject({ code: 'INDEX_CORRUPT', message: expect.stringContaining('manifest.json') });
  });

  it('asks for a rebuild when the index was written in an older format', async () => {
    const embedder = await getOfflineEmbedder();
    const dir = await tempDir('idx-');
    const built = await buildIndex({ reportsDir: SEEDS_DIR, indexDir: dir, embedder });
    const manifestFile = path.join(built.dir, FILES.manifest);
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as { formatVersion: number };
    await writeFile(manifestFile, JSON.stringify({ ...manifest, formatVersion: FORMAT_VERSION - 1 }));
    await expect(loadIndex(dir)).rejects.toMatchObject({
      code: 'INDEX_CORRUPT',
      message: expect.stringContaining(`format version ${FORMAT_VERSION - 1} is not the supported version ${FORMAT_VERSION}`),
      hint: expect.stringContaining('npm run build-index'),
    });
  });

  it('detects binary files that disagree with each other', async () => {
    const embedder = await getOfflineEmbedder();
    const dir = await tempDir('idx-');
    const built = await buildIndex({ reportsDir: SEEDS_DIR, indexDir: dir, embedder });
    // Same size, different bytes (a damaged column header): the size check passes, the column check must not.
    const file = path.join(built.dir, FILES.bm25);
    const bytes = await readFile(file);
    bytes.writeUInt32LE(0xffffffff, 8);
    await writeFile(file, bytes);
    await expect(loadIndex(dir)).rejects.toMatchObject({ code: 'INDEX_CORRUPT', message: expect.stringContaining(FILES.bm25) });
  });

  it('keeps the live index untouched when a build fails, and leaves no temp folders', async () => {
    const embedder = await getOfflineEmbedder();
    const dir = await tempDir('idx-');
    await buildIndex({ reportsDir: SEEDS_DIR, indexDir: dir, embedder });
    const before = await readlink(path.join(dir, 'current'));
    const failing: Embedder = { ...embedder, embedPassages: async () => Promise.reject(new Error('embedding crashed')) };
    const reports = await copySeeds();
    await writeFile(path.join(reports, 'extra.txt'), 'A new passage forces embedding, which fails in this test, about artillery duels near the river.');
    await expect(buildIndex({ reportsDir: reports, indexDir: dir, embedder: failing })).rejects.toThrow('embedding crashed');
    expect(await readlink(path.join(dir, 'current'))).toBe(before);
    expect((await loadIndex(dir)).passages.length).toBeGreaterThan(100);
    expect((await readdir(path.join(dir, 'builds'))).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });

  it('does not let two builds write at once', async () => {
    const embedder = await getOfflineEmbedder();
    const dir = await tempDir('idx-');
    const lock = await acquireBuildLock(dir);
    await expect(buildIndex({ reportsDir: SEEDS_DIR, indexDir: dir, embedder })).rejects.toMatchObject({ code: 'INDEX_LOCKED' });
    await lock.release();
    await expect(buildIndex({ reportsDir: SEEDS_DIR, indexDir: dir, embedder })).resolves.toMatchObject({ reports: 5 });
  });
});
