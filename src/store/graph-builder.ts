/**
 * Builds the hnsw graph on worker threads while the build is still embedding: the build writes
 * vectors into a shared buffer and marks rows as filled; each shard's worker inserts its rows in row
 * order (so every shard is the one a sequential build makes) as soon as all rows before them are there.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { IndexError } from '../errors';
import type { HnswSettings } from './manifest';

/** hnswlib's random seed for level assignment; the in-memory build uses the same one. */
export const HNSW_SEED = 100;

export interface GraphBuilder {
  /** Row-major vectors, `count` × `dims`, in memory shared with the workers: write rows, then mark them filled. */
  readonly vectors: Float32Array;
  /** Marks rows [start, end) as written; rows reach the graph once every row before them is filled. */
  filled(start: number, end: number): void;
  /**
   * Waits until every row is in the graph, then returns the top-1 cosine similarity of each probe
   * vector over all shards and writes shard i to `files[i]` (unless `files` is null). Ends the workers.
   */
  finish(probes: readonly Float32Array[], files: readonly string[] | null): Promise<number[]>;
  /** Ends the workers without finishing (a failed build). */
  abort(): Promise<void>;
}

export interface GraphBuilderOptions {
  count: number;
  dims: number;
  settings: HnswSettings;
  /** Graphs to build, one worker each: row r goes to shard r % shards (default 1). */
  shards?: number;
  /** Called as rows enter the graph, with the rows added over all shards. */
  onAdded?: (added: number) => void;
}

type WorkerMessage = { type: 'added'; added: number } | { type: 'done'; tops: number[] | null } | { type: 'error'; message: string };

interface ShardWorker {
  worker: Worker;
  added: number;
  settle: { resolve: (tops: number[] | null) => void; reject: (err: Error) => void } | null;
}

/** The best similarity per probe over the shards that hold vectors (0 when none does, as for an empty graph). */
function bestTops(perShard: ReadonlyArray<number[] | null>, probes: number): number[] {
  const held = perShard.filter((t): t is number[] => t !== null);
  return Array.from({ length: probes }, (_, i) => (held.length === 0 ? 0 : Math.max(...held.map((t) => t[i] ?? 0))));
}

/** Starts one graph worker per shard for `count` vectors of `dims` dimensions. */
export function createGraphBuilder({ count, dims, settings, shards = 1, onAdded }: GraphBuilderOptions): GraphBuilder {
  const buffer = new SharedArrayBuffer(Math.max(1, count * dims) * Float32Array.BYTES_PER_ELEMENT);
  const vectors = new Float32Array(buffer, 0, count * dims);
  const isFilled = new Uint8Array(count);
  let frontier = 0;
  let failure: Error | null = null;
  const workers: ShardWorker[] = [];
  const fail = (err: Error): void => {
    failure ??= err;
    for (const w of workers) {
      w.settle?.reject(failure);
      w.settle = null;
    }
  };
  const hnswlibPath = createRequire(import.meta.url).resolve('hnswlib-node');
  for (let shard = 0; shard < shards; shard++) {
    const worker = new Worker(new URL('./graph-worker.cjs', import.meta.url), {
      workerData: { hnswlibPath, dims, count, shard, shards, m: settings.m, efConstruction: settings.efConstruction, efSearch: settings.efSearch, seed: HNSW_SEED, buffer },
    });
    const state: ShardWorker = { worker, added: 0, settle: null };
    workers.push(state);
    worker.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'added') {
        state.added = msg.added;
        onAdded?.(workers.reduce((sum, w) => sum + w.added, 0));
      } else if (msg.type === 'error') fail(new IndexError('INDEX_CORRUPT', `Building the vector graph failed: ${msg.message}.`));
      else {
        state.settle?.resolve(msg.tops);
        state.settle = null;
      }
    });
    worker.on('error', (cause) => fail(new IndexError('INDEX_CORRUPT', 'The vector graph worker failed.', { cause })));
    worker.on('exit', (code) => fail(new IndexError('INDEX_CORRUPT', `The vector graph worker stopped (exit code ${code}).`)));
  }
  const endAll = async (): Promise<void> => {
    for (const { worker } of workers) worker.removeAllListeners('exit');
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
  };

  return {
    vectors,
    filled(start, end) {
      isFilled.fill(1, start, end);
      const before = frontier;
      while (frontier < count && isFilled[frontier] === 1) frontier++;
      if (frontier > before && failure === null) for (const { worker } of workers) worker.postMessage({ type: 'ready', upTo: frontier });
    },
    async finish(probes, files) {
      if (frontier < count) throw new IndexError('INDEX_CORRUPT', `Only ${frontier} of ${count} vectors were filled before the graph was finished.`);
      if (files !== null && files.length !== shards) throw new IndexError('INDEX_CORRUPT', `${files.length} graph files were given for ${shards} shards.`);
      try {
        const perShard = await Promise.all(
          workers.map(
            (state, shard) =>
              new Promise<number[] | null>((resolve, reject) => {
                if (failure) return reject(failure);
                state.settle = { resolve, reject };
                state.worker.postMessage({ type: 'finish', probes: probes.map((p) => Float32Array.from(p)), file: files?.[shard] ?? null });
              }),
          ),
        );
        return bestTops(perShard, probes.length);
      } finally {
        await endAll();
      }
    },
    abort: endAll,
  };
}
