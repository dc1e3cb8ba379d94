import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { describe, expect, it } from 'vitest';
import { rng } from '../../../scripts/synthetic-corpus';
import { buildIndex, DEFAULT_HNSW } from '../../../src/store/build-index';
import { createGraphBuilder } from '../../../src/store/graph-builder';
import { FILES, graphFiles } from '../../../src/store/layout';
import { loadIndex, type LocalIndex } from '../../../src/store/load-index';
import { getOfflineEmbedder } from '../../helpers/offline-embedder';
import { SEEDS_DIR } from '../../helpers/seed-index';
import { useTempDirs } from '../../helpers/temp-dir';

const tempDir = useTempDirs();

/** The `k` rows nearest to `query` by exact cosine similarity (vectors are unit length). */
function exactNearest(index: LocalIndex, query: Float32Array, k: number): number[] {
  const dims = index.manifest.model.dims;
  const all = index.vectors;
  const scores = Array.from({ length: index.passages.length }, (_, row) => {
    let s = 0;
    for (let j = 0; j < dims; j++) s += (query[j] ?? 0) * (all[row * dims + j] ?? 0);
    return { row, s };
  });
  return scores.sort((a, b) => b.s - a.s || a.row - b.row).slice(0, k).map((x) => x.row);
}

async function shardedBuild(shards = 3): Promise<{ indexDir: string; index: LocalIndex }> {
  const indexDir = await tempDir('idx-');
  await buildIndex({ reportsDir: SEEDS_DIR, indexDir, embedder: await getOfflineEmbedder(), graphShards: shards });
  return { indexDir, index: await loadIndex(indexDir) };
}

describe('a build folder with a sharded graph', () => {
  it('writes one graph file per shard, lists them in the manifest and loads them as one graph', async () => {
    const { index } = await shardedBuild();
    const names = graphFiles(3);
    expect(names).toEqual(['vectors.0.hnsw', 'vectors.1.hnsw', 'vectors.2.hnsw']);
    expect(index.manifest.graph).toEqual({ files: names });
    for (const name of names) expect(index.manifest.files[name]).toBe((await stat(path.join(index.dir, name))).size);
    expect(index.manifest.files[FILES.hnsw]).toBeUndefined();
    expect(index.hnsw.getCurrentCount()).toBe(index.passages.length);
  });

  it('finds the exact nearest passages over all shards', async () => {
    const { index } = await shardedBuild();
    const dims = index.manifest.model.dims;
    // ef above every shard's size: each shard's search is exhaustive, so the merge alone decides.
    index.hnsw.setEf(index.passages.length);
    for (const row of [0, 1, 2, 50, 101, index.passages.length - 1]) {
      const query = index.vectors.slice(row * dims, (row + 1) * dims);
      expect(index.hnsw.searchKnn(Array.from(query), 8).neighbors).toEqual(exactNearest(index, query, 8));
    }
  });

  it('keeps the shard files when an unchanged corpus is rebuilt', async () => {
    const { indexDir, index } = await shardedBuild(2);
    const again = await buildIndex({ reportsDir: SEEDS_DIR, indexDir, embedder: await getOfflineEmbedder() });
    expect(again.embedded).toBe(0);
    const reloaded = await loadIndex(indexDir);
    expect(reloaded.dir).not.toBe(index.dir);
    expect(reloaded.manifest.graph).toEqual({ files: graphFiles(2) });
    for (const name of graphFiles(2)) expect(await readFile(path.join(reloaded.dir, name))).toEqual(await readFile(path.join(index.dir, name)));
    const query = Array.from(index.vectorRow(7));
    expect(reloaded.hnsw.searchKnn(query, 5)).toEqual(index.hnsw.searchKnn(query, 5));
  });

  it('reports a damaged shard, and a shard missing from the files, as INDEX_CORRUPT naming it', async () => {
    const { indexDir, index } = await shardedBuild(2);
    const second = path.join(index.dir, 'vectors.1.hnsw');
    await writeFile(second, Buffer.alloc((await stat(second)).size));
    await expect(loadIndex(indexDir)).rejects.toMatchObject({ code: 'INDEX_CORRUPT', message: expect.stringContaining('vectors.1.hnsw'), hint: expect.stringContaining('npm run build-index') });

    const manifestFile = path.join(index.dir, FILES.manifest);
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as { files: Record<string, number> };
    delete manifest.files['vectors.1.hnsw'];
    await writeFile(manifestFile, JSON.stringify(manifest));
    await expect(loadIndex(indexDir)).rejects.toMatchObject({ code: 'INDEX_CORRUPT', message: expect.stringContaining('graph files vectors.1.hnsw are not in the files section') });
  });

  it('reports shards swapped with each other as INDEX_CORRUPT', async () => {
    // 5 shards over the seed passages do not all hold the same number of rows.
    const { indexDir, index } = await shardedBuild(5);
    const counts = graphFiles(5).map((_, s) => Math.ceil((index.passages.length - s) / 5));
    const [small, big] = [counts.findIndex((c) => c === Math.min(...counts)), counts.findIndex((c) => c === Math.max(...counts))];
    expect(small).not.toBe(big);
    const manifestFile = path.join(index.dir, FILES.manifest);
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as { graph: { files: string[] } };
    const files = [...manifest.graph.files];
    [files[small], files[big]] = [files[big] ?? '', files[small] ?? ''];
    await writeFile(manifestFile, JSON.stringify({ ...manifest, graph: { files } }));
    await expect(loadIndex(indexDir)).rejects.toMatchObject({ code: 'INDEX_CORRUPT', message: expect.stringMatching(/vectors\.\d\.hnsw holds \d+ vectors for \d+ passages \(shard \d of 5 should hold \d+\)/) });
  });

  it('still loads a folder written before graphs had shards (one vectors.hnsw, no graph section)', async () => {
    const indexDir = await tempDir('idx-');
    await buildIndex({ reportsDir: SEEDS_DIR, indexDir, embedder: await getOfflineEmbedder() });
    const index = await loadIndex(indexDir);
    expect(index.manifest.graph).toEqual({ files: [FILES.hnsw] });
    const manifestFile = path.join(index.dir, FILES.manifest);
    const { graph: _graph, ...older } = JSON.parse(await readFile(manifestFile, 'utf8')) as Record<string, unknown>;
    await writeFile(manifestFile, JSON.stringify(older));
    const query = Array.from(index.vectorRow(3));
    expect((await loadIndex(indexDir)).hnsw.searchKnn(query, 5)).toEqual(index.hnsw.searchKnn(query, 5));
  });
});

describe('the graph builder', () => {
  it('builds each shard from rows filled out of order, labelled by row, with the best probe similarity over all shards', async () => {
    const dims = 8;
    const count = 41;
    const rand = rng(9);
    const rows = Array.from({ length: count }, () => Array.from({ length: dims }, () => rand() * 2 - 1));
    const builder = createGraphBuilder({ count, dims, settings: DEFAULT_HNSW, shards: 3 });
    for (const start of [20, 0, 30, 10]) {
      const end = Math.min(count, start + 10 + (start === 30 ? 1 : 0));
      rows.slice(start, end).forEach((r, i) => builder.vectors.set(r, (start + i) * dims));
      builder.filled(start, end);
    }
    const dir = await tempDir('graph-');
    const files = graphFiles(3).map((f) => path.join(dir, f));
    // Rows 5 and 33 are in shards 2 and 0: each probe's best similarity (1, itself) is in one shard only.
    const probes = [Float32Array.from(rows[5] ?? []), Float32Array.from(rows[33] ?? [])];
    const tops = await builder.finish(probes, files);
    tops.forEach((t) => expect(t).toBeCloseTo(1, 5));
    for (const [shard, file] of files.entries()) {
      const graph = new hnswlib.HierarchicalNSW('cosine', dims);
      await graph.readIndex(file);
      const labels = graph.getIdsList().sort((a, b) => a - b);
      expect(labels).toEqual(Array.from({ length: count }, (_, r) => r).filter((r) => r % 3 === shard));
      graph.setEf(count);
      for (const label of labels) expect(graph.searchKnn(rows[label] ?? [], 1).neighbors).toEqual([label]);
    }
  });
});
