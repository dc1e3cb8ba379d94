/**
 * A large corpus's hnsw graph is split in shards, each built on its own worker thread and loaded on
 * its own libuv thread: passage row r goes to shard r % shards under label r, and a search asks every
 * shard and merges by distance. Small corpora keep one graph, so their results do not change.
 */
import type hnswlib from 'hnswlib-node';

/**
 * Corpora from this size on get GRAPH_SHARDS graphs. Small corpora keep one graph: their build is
 * short anyway, and one graph keeps their search results as they were.
 */
export const SHARD_THRESHOLD = 150_000;

/** Shards of a large corpus's graph: the cores of the 2-core machine this is tuned for; each shard costs a search per query. */
export const GRAPH_SHARDS = 2;

/** How many graph shards a corpus of `passages` gets. */
export function graphShardCount(passages: number): number {
  return passages >= SHARD_THRESHOLD ? GRAPH_SHARDS : 1;
}

/** Rows of `count` that shard `shard` of `shards` holds (rows shard, shard + shards, …). */
export function shardSize(count: number, shards: number, shard: number): number {
  return Math.max(0, Math.ceil((count - shard) / shards));
}

/** Nearest neighbours by cosine distance, ascending, labelled by passage row. */
export interface KnnResult {
  neighbors: number[];
  distances: number[];
}

/** What serving and the bench need of a vector graph: one hnswlib graph, or shards searched together. */
export interface VectorGraph {
  searchKnn(query: number[], k: number): KnnResult;
  /** Sets the search breadth of every shard. */
  setEf(ef: number): void;
  /** Vectors in the graph (all shards). */
  getCurrentCount(): number;
}

/** The k nearest over all of `results` (each ascending), ties kept in shard order. */
export function mergeNearest(results: readonly KnnResult[], k: number): KnnResult {
  const at = results.map(() => 0);
  const neighbors: number[] = [];
  const distances: number[] = [];
  while (neighbors.length < k) {
    let best = -1;
    let bestDistance = Infinity;
    results.forEach((r, s) => {
      const d = r.distances[at[s] ?? 0];
      if (d !== undefined && (best < 0 || d < bestDistance)) {
        best = s;
        bestDistance = d;
      }
    });
    if (best < 0) break;
    const i = at[best] ?? 0;
    neighbors.push(results[best]?.neighbors[i] ?? -1);
    distances.push(bestDistance);
    at[best] = i + 1;
  }
  return { neighbors, distances };
}

/** One graph over the shards: itself when there is one, else a search of every shard merged by distance. */
export function shardedGraph(shards: readonly hnswlib.HierarchicalNSW[]): VectorGraph {
  const [only] = shards;
  if (only && shards.length === 1) return only;
  return {
    searchKnn(query, k) {
      return mergeNearest(
        shards.map((g) => g.searchKnn(query, Math.min(k, g.getMaxElements()))),
        k,
      );
    },
    setEf(ef) {
      for (const g of shards) g.setEf(ef);
    },
    getCurrentCount() {
      return shards.reduce((sum, g) => sum + g.getCurrentCount(), 0);
    },
  };
}
