/**
 * Builds the hnsw graph on a worker thread while the build is still embedding: the build writes
 * vectors into a shared buffer and marks rows as filled; the worker inserts rows in row order
 * (so the graph is the one a sequential build makes) as soon as all rows before them are there.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { IndexError } from '../errors';
import type { HnswSettings } from './manifest';

/** hnswlib's random seed for level assignment; the in-memory build uses the same one. */
export const HNSW_SEED = 100;

export interface GraphBuilder {
  /** Row-major vectors, `count` × `dims`, in memory shared with the worker: write rows, then mark them filled. */
  readonly vectors: Float32Array;
  /** Marks rows [start, end) as written; rows reach the graph once every row before them is filled. */
  filled(start: number, end: number): void;
  /**
   * Waits until every row is in the graph, then returns the top-1 cosine similarity of each probe
   * vector and writes the graph to `file` (unless null). Ends the worker.
   */
  finish(probes: readonly Float32Array[], file: string | null): Promise<number[]>;
  /** Ends the worker without finishing (a failed build). */
  abort(): Promise<void>;
}

export interface GraphBuilderOptions {
  count: number;
  dims: number;
  settings: HnswSettings;
  /** Called as rows enter the graph. */
  onAdded?: (added: number) => void;
}

type WorkerMessage = { type: 'added'; added: number } | { type: 'done'; tops: number[] } | { type: 'error'; message: string };

/** Starts a graph worker for `count` vectors of `dims` dimensions. */
export function createGraphBuilder({ count, dims, settings, onAdded }: GraphBuilderOptions): GraphBuilder {
  const buffer = new SharedArrayBuffer(Math.max(1, count * dims) * Float32Array.BYTES_PER_ELEMENT);
  const vectors = new Float32Array(buffer, 0, count * dims);
  const isFilled = new Uint8Array(count);
  let frontier = 0;
  const worker = new Worker(new URL('./graph-worker.cjs', import.meta.url), {
    workerData: {
      hnswlibPath: createRequire(import.meta.url).resolve('hnswlib-node'),
      dims,
      count,
      m: settings.m,
      efConstruction: settings.efConstruction,
      efSearch: settings.efSearch,
      seed: HNSW_SEED,
      buffer,
    },
  });
  let settle: { resolve: (tops: number[]) => void; reject: (err: Error) => void } | null = null;
  let failure: Error | null = null;
  const fail = (err: Error): void => {
    failure ??= err;
    settle?.reject(failure);
    settle = null;
  };
  worker.on('message', (msg: WorkerMessage) => {
    if (msg.type === 'added') onAdded?.(msg.added);
    else if (msg.type === 'error') fail(new IndexError('INDEX_CORRUPT', `Building the vector graph failed: ${msg.message}.`));
    else {
      settle?.resolve(msg.tops);
      settle = null;
    }
  });
  worker.on('error', (cause) => fail(new IndexError('INDEX_CORRUPT', 'The vector graph worker failed.', { cause })));
  worker.on('exit', (code) => fail(new IndexError('INDEX_CORRUPT', `The vector graph worker stopped (exit code ${code}).`)));

  return {
    vectors,
    filled(start, end) {
      isFilled.fill(1, start, end);
      const before = frontier;
      while (frontier < count && isFilled[frontier] === 1) frontier++;
      if (frontier > before && failure === null) worker.postMessage({ type: 'ready', upTo: frontier });
    },
    async finish(probes, file) {
      if (frontier < count) throw new IndexError('INDEX_CORRUPT', `Only ${frontier} of ${count} vectors were filled before the graph was finished.`);
      try {
        return await new Promise<number[]>((resolve, reject) => {
          if (failure) return reject(failure);
          settle = { resolve, reject };
          worker.postMessage({ type: 'finish', probes: probes.map((p) => Float32Array.from(p)), file });
        });
      } finally {
        worker.removeAllListeners('exit');
        await worker.terminate();
      }
    },
    async abort() {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}
