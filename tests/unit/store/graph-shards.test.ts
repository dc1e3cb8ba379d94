import hnswlib from 'hnswlib-node';
import { describe, expect, it } from 'vitest';
import { rng } from '../../../scripts/synthetic-corpus';
import { graphShardCount, GRAPH_SHARDS, mergeNearest, SHARD_THRESHOLD, shardedGraph, shardSize } from '../../../src/store/graph-shards';

const DIMS = 16;

function randomVectors(count: number, seed: number): number[][] {
  const rand = rng(seed);
  return Array.from({ length: count }, () => Array.from({ length: DIMS }, () => rand() * 2 - 1));
}

function cosineDistance(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((x, i) => {
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  });
  return 1 - dot / Math.sqrt(na * nb);
}

/** Graphs over `vectors` with row r in graph r % shards under label r, as the build makes them. */
function shardGraphs(vectors: number[][], shards: number): hnswlib.HierarchicalNSW[] {
  return Array.from({ length: shards }, (_, s) => {
    const g = new hnswlib.HierarchicalNSW('cosine', DIMS);
    g.initIndex(shardSize(vectors.length, shards, s), 16, 100, 100);
    for (let row = s; row < vectors.length; row += shards) g.addPoint(vectors[row] ?? [], row);
    return g;
  });
}

describe('graph shards', () => {
  it('shards only large corpora', () => {
    expect(graphShardCount(SHARD_THRESHOLD - 1)).toBe(1);
    expect(graphShardCount(SHARD_THRESHOLD)).toBe(GRAPH_SHARDS);
  });

  it('gives every row to exactly one shard', () => {
    for (const count of [0, 1, 2, 7, 10]) {
      for (const shards of [1, 2, 3]) {
        const sizes = Array.from({ length: shards }, (_, s) => shardSize(count, shards, s));
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(count);
        sizes.forEach((size, s) => expect(size).toBe(Array.from({ length: count }, (_, r) => r).filter((r) => r % shards === s).length));
      }
    }
  });

  it('merges shard results by distance, ties in shard order, up to k', () => {
    const merged = mergeNearest(
      [
        { neighbors: [4, 8], distances: [0.1, 0.3] },
        { neighbors: [1, 5, 9], distances: [0.1, 0.2, 0.5] },
        { neighbors: [], distances: [] },
      ],
      4,
    );
    expect(merged).toEqual({ neighbors: [4, 1, 5, 8], distances: [0.1, 0.1, 0.2, 0.3] });
    expect(mergeNearest([{ neighbors: [3], distances: [0.4] }], 5)).toEqual({ neighbors: [3], distances: [0.4] });
    expect(mergeNearest([{ neighbors: [3], distances: [0.4] }], 0)).toEqual({ neighbors: [], distances: [] });
  });

  it('finds the same neighbours over three shards as an exact search over all vectors', () => {
    const vectors = randomVectors(600, 3);
    const graph = shardedGraph(shardGraphs(vectors, 3));
    // ef above every shard's size: each shard's search is exhaustive, so the merge alone decides.
    graph.setEf(300);
    expect(graph.getCurrentCount()).toBe(600);
    for (const query of randomVectors(20, 11)) {
      const exact = vectors
        .map((v, row) => ({ row, d: cosineDistance(query, v) }))
        .sort((a, b) => a.d - b.d)
        .slice(0, 10);
      const { neighbors, distances } = graph.searchKnn(query, 10);
      expect(neighbors).toEqual(exact.map((e) => e.row));
      distances.forEach((d, i) => expect(d).toBeCloseTo(exact[i]?.d ?? NaN, 5));
    }
  });

  it('asks no shard for more neighbours than it holds', () => {
    const vectors = randomVectors(5, 5);
    const graph = shardedGraph(shardGraphs(vectors, 2));
    expect(graph.searchKnn(vectors[0] ?? [], 5).neighbors.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('is the graph itself when there is one shard', () => {
    const [only] = shardGraphs(randomVectors(10, 7), 1);
    expect(shardedGraph([only as hnswlib.HierarchicalNSW])).toBe(only);
  });
});
