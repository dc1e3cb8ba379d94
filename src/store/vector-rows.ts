/**
 * Passage vectors by row: a view into an array held in memory, or a read of one row from the
 * vectors file, so a served index need not hold every vector (the hnsw graph holds its own copy).
 */
import { readSync } from 'node:fs';
import { createLruCache } from '../cache/lru-cache';

/** The vector of one passage: `dims` floats the caller must not change (a view, or a row shared through a cache). */
export type VectorRow = (doc: number) => Float32Array;

/** Rows viewed in a row-major array of `dims` floats per passage. */
export function memoryVectorRows(vectors: Float32Array, dims: number): VectorRow {
  return (doc) => vectors.subarray(doc * dims, (doc + 1) * dims);
}

/**
 * Rows of the vectors file kept after a read (about 400 bytes each at 100 dims): a search reads the
 * rows of its few dozen lexical candidates, and popular passages come back question after question.
 */
export const VECTOR_ROW_CACHE = 16_384;

/** Problems reading the vectors file; the loader turns these into INDEX_CORRUPT. */
export class VectorFileError extends Error {}

/** An open vectors file read by row, or in full. */
export interface VectorFile {
  row: VectorRow;
  /** Every row, read at once. */
  all(): Float32Array;
  /** Reachable while `row` or `all` is: close the file once this is garbage-collected. */
  owner: object;
}

/**
 * Reads an open vectors file (row-major float32, as written) of `rows` × `dims`. The caller owns
 * `fd` and keeps it open while `owner` is reachable. `row` throws RangeError outside 0..rows-1.
 */
export function openVectorFile(fd: number, rows: number, dims: number): VectorFile {
  const owner = { fd };
  const readInto = (bytes: Uint8Array, position: number): void => {
    let got = 0;
    while (got < bytes.byteLength) {
      const n = readSync(owner.fd, bytes, got, bytes.byteLength - got, position + got);
      if (n === 0) throw new VectorFileError(`the vectors file ends at ${position + got} bytes, before ${position + bytes.byteLength}`);
      got += n;
    }
  };
  const cache = createLruCache<number, Float32Array>(VECTOR_ROW_CACHE);
  return {
    owner,
    row(doc) {
      if (!(doc >= 0 && doc < rows) || !Number.isInteger(doc)) throw new RangeError(`vector row ${doc} is outside 0..${rows - 1}`);
      return cache.getOrSet(doc, () => {
        const row = new Float32Array(dims);
        readInto(new Uint8Array(row.buffer), doc * dims * 4);
        return row;
      });
    },
    all() {
      const vectors = new Float32Array(rows * dims);
      readInto(new Uint8Array(vectors.buffer), 0);
      return vectors;
    },
  };
}
