/**
 * Exact and near-exact duplicate detection for paragraphs across a whole corpus.
 * The first occurrence is kept; later ones are reported as duplicates.
 */
import { isPlainText } from '../text/tokens';

/** Texts shorter than this (in words) are compared exactly only; shingles are unreliable on them. */
const MIN_WORDS_FOR_NEAR = 8;
const SHINGLE = 3;
/**
 * LSH banding over min-hashes: 6 bands of 4. A pair with Jaccard J becomes a candidate with
 * p = 1-(1-J⁴)⁶: 0.998 at J=0.9 but 0.02 at J=0.25, so texts that merely share a sentence are rarely compared.
 */
const BANDS = 6;
const ROWS = 4;
const HASHES = BANDS * ROWS;
/** Candidates whose min-hash agreement (an estimate of J) is this far below the threshold skip the exact check. */
const ESTIMATE_SLACK = 0.25;
/** Candidates given the exact Jaccard check, best min-hash agreement first (a true near duplicate agrees on nearly every min-hash). */
const MAX_EXACT_CHECKS = 64;
/**
 * Newest texts visited per LSH bucket. Buckets hold a handful of texts in ordinary reports; in a
 * corpus whose paragraphs all recombine the same sentences they grow with the corpus, and walking
 * them all would make the filter quadratic.
 */
const MAX_BUCKET_VISITS = 32;
/** Odd multipliers that derive the min-hash family from one base hash per shingle. */
const MULTIPLIERS = Uint32Array.from({ length: HASHES }, (_, i) => (Math.imul(0x9e3779b1, i + 1) | 1) >>> 0);

interface Signature {
  /** Sorted, distinct shingle hashes. */
  shingles: Uint32Array;
  mins: Uint32Array;
}

function normalise(text: string): string[] {
  if (isPlainText(text)) return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

const FNV_OFFSET = 0x811c9dc5;
const SPACE = 32;

/** FNV-1a over the UTF-16 code units of `text`, continuing from state `h`. */
function fnv(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function finalMix(h: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  h ^= h >>> 12;
  return h >>> 0;
}

function hash32(text: string): number {
  return finalMix(fnv(FNV_OFFSET, text));
}

/** hash32 of the shingle `${a} ${b} ${c}`, without building the string. */
function shingleHash(a: string, b: string, c: string): number {
  let h = fnv(FNV_OFFSET, a);
  h = Math.imul(h ^ SPACE, 0x01000193) >>> 0;
  h = fnv(h, b);
  h = Math.imul(h ^ SPACE, 0x01000193) >>> 0;
  return finalMix(fnv(h, c));
}

function signature(words: string[]): Signature {
  // Sorted distinct hashes from a typed array: a Set of uint32s would box every hash above 2³¹.
  const all = new Uint32Array(Math.max(0, words.length - SHINGLE + 1));
  for (let i = 0; i < all.length; i++) all[i] = shingleHash(words[i] ?? '', words[i + 1] ?? '', words[i + 2] ?? '');
  all.sort();
  let distinct = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[distinct++] = all[i] as number;
  const shingles = all.slice(0, distinct);
  const mins = new Uint32Array(HASHES).fill(0xffffffff);
  // Plain indexing on typed arrays of known length keeps this loop in 32-bit integers (it is most of the filter's time on long texts).
  const multipliers = MULTIPLIERS;
  const n = shingles.length;
  for (let k = 0; k < n; k++) {
    const base = shingles[k] as number;
    const mixed = base ^ (base >>> 16);
    for (let i = 0; i < HASHES; i++) {
      const p = Math.imul(mixed, multipliers[i] as number);
      const h = (p ^ (p >>> 13)) >>> 0;
      if (h < (mins[i] as number)) mins[i] = h;
    }
  }
  return { shingles, mins };
}

function jaccard(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let inter = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] ?? 0;
    const y = b[j] ?? 0;
    if (x === y) {
      inter++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return inter / (a.length + b.length - inter);
}

function agreement(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < HASHES; i++) if (a[i] === b[i]) same++;
  return same / HASHES;
}

/** Word 3-shingle Jaccard similarity of two texts (1 for identical wording, 0 for nothing shared). */
export function textSimilarity(a: string, b: string): number {
  const wa = normalise(a);
  const wb = normalise(b);
  if (wa.join(' ') === wb.join(' ')) return 1;
  return jaccard(signature(wa).shingles, signature(wb).shingles);
}

export interface DuplicateFilter {
  /** True when `text` duplicates an earlier text; otherwise remembers it and returns false. */
  isDuplicate(text: string): boolean;
}

/** A Uint32Array/Int32Array that doubles when full, so a corpus-wide filter holds no per-text objects. */
class GrowableInts<T extends Uint32Array | Int32Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (size: number) => T,
  ) {}
  reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    const next = this.make(Math.max(this.data.length * 2, this.length + extra));
    next.set(this.data);
    this.data = next;
  }
  push(value: number): number {
    this.reserve(1);
    this.data[this.length] = value;
    return this.length++;
  }
}

const int32s = (n: number): GrowableInts<Int32Array> => new GrowableInts(new Int32Array(n), (size) => new Int32Array(size));
const uint32s = (n: number): GrowableInts<Uint32Array> => new GrowableInts(new Uint32Array(n), (size) => new Uint32Array(size));

/**
 * A multimap from 32-bit hashes to ints as chained lists in typed arrays: about 12 bytes per
 * entry, where a Map of string keys to arrays costs about a hundred.
 */
class HashChains {
  private heads = new Int32Array(64).fill(-1);
  private readonly hashes = uint32s(64);
  private readonly values = int32s(64);
  private readonly next = int32s(64);

  add(hash: number, value: number): void {
    // Rehash at load factor 1, so chains stay about one entry long.
    if (this.hashes.length >= this.heads.length) this.rehash(this.heads.length * 2);
    const slot = hash & (this.heads.length - 1);
    const entry = this.hashes.push(hash);
    this.values.push(value);
    this.next.push(this.heads[slot] ?? -1);
    this.heads[slot] = entry;
  }

  /** Calls `visit` with each value stored under `hash` (newest first, at most `limit`), until it returns true. */
  some(hash: number, visit: (value: number) => boolean, limit = Infinity): boolean {
    const hashes = this.hashes.data;
    const next = this.next.data;
    let seen = 0;
    for (let e = this.heads[hash & (this.heads.length - 1)] ?? -1; e !== -1 && seen < limit; e = next[e] ?? -1) {
      if (hashes[e] !== hash) continue;
      seen++;
      if (visit(this.values.data[e] ?? 0)) return true;
    }
    return false;
  }

  private rehash(size: number): void {
    this.heads = new Int32Array(size).fill(-1);
    const hashes = this.hashes.data;
    const next = this.next.data;
    for (let e = 0; e < this.hashes.length; e++) {
      const slot = (hashes[e] ?? 0) & (size - 1);
      next[e] = this.heads[slot] ?? -1;
      this.heads[slot] = e;
    }
  }
}

/** One band of min-hashes as a 32-bit bucket hash; equal bands always collide, and collisions are re-checked. */
function bandHash(mins: Uint32Array, offset: number, band: number): number {
  let h = Math.imul(band + 1, 0x9e3779b1) >>> 0;
  for (let r = 0; r < ROWS; r++) {
    h = Math.imul(h ^ (mins[offset + r] ?? 0), 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
  }
  return h;
}

/**
 * A corpus-wide duplicate filter: exact (same words) and near (word 3-shingle Jaccard ≥ `threshold`,
 * found by LSH over min-hashes). Work per text is bounded (MAX_BUCKET_VISITS, MAX_EXACT_CHECKS), and
 * memory is about 140 bytes plus 4 bytes a word per remembered text in typed arrays (min-hashes,
 * buckets, sorted shingle hashes), plus a reference to the text itself, which the caller keeps anyway
 * (passages are slices of their report's text).
 */
export function createDuplicateFilter(threshold: number): DuplicateFilter {
  /** Every remembered text, to confirm exact matches. */
  const texts: string[] = [];
  const exact = new HashChains();
  /** Min-hashes of texts long enough for near matching, HASHES per row. */
  const mins = uint32s(HASHES * 16);
  /** The row in `texts` of each min-hash row. */
  const rowText = int32s(16);
  const buckets = new HashChains();
  /** The last call that visited each min-hash row, so a candidate in several bands is checked once. */
  const visited = int32s(16);
  let call = 0;
  /** Sorted shingle hashes of every min-hash row, row r at [shingleStart[r], shingleStart[r + 1]). */
  const shingles = uint32s(1024);
  const shingleStart = int32s(16);
  shingleStart.push(0);

  return {
    isDuplicate(text: string): boolean {
      const words = normalise(text);
      const key = words.join(' ');
      const keyHash = hash32(key);
      if (exact.some(keyHash, (t) => normalise(texts[t] ?? '').join(' ') === key)) return true;
      const t = texts.push(text) - 1;
      exact.add(keyHash, t);
      if (words.length < MIN_WORDS_FOR_NEAR) return false;
      const sig = signature(words);
      const hashes: number[] = [];
      for (let b = 0; b < BANDS; b++) hashes.push(bandHash(sig.mins, b * ROWS, b));
      call++;
      const candidates: Array<{ row: number; agree: number }> = [];
      for (let b = 0; b < BANDS; b++) {
        buckets.some(hashes[b] ?? 0, (row) => {
          if (visited.data[row] === call) return false;
          for (let r = b * ROWS; r < (b + 1) * ROWS; r++) if (mins.data[row * HASHES + r] !== sig.mins[r]) return false;
          visited.data[row] = call;
          const agree = agreement(sig.mins, mins.data.subarray(row * HASHES, (row + 1) * HASHES));
          if (agree >= threshold - ESTIMATE_SLACK) candidates.push({ row, agree });
          return false;
        }, MAX_BUCKET_VISITS);
      }
      if (candidates.length > MAX_EXACT_CHECKS) candidates.sort((a, b) => b.agree - a.agree || b.row - a.row);
      for (const { row } of candidates.slice(0, MAX_EXACT_CHECKS)) {
        const other = shingles.data.subarray(shingleStart.data[row] ?? 0, shingleStart.data[row + 1] ?? 0);
        if (jaccard(sig.shingles, other) >= threshold) return true;
      }
      mins.reserve(HASHES);
      mins.data.set(sig.mins, mins.length);
      mins.length += HASHES;
      const row = rowText.push(t);
      shingles.reserve(sig.shingles.length);
      shingles.data.set(sig.shingles, shingles.length);
      shingles.length += sig.shingles.length;
      shingleStart.push(shingles.length);
      visited.push(0);
      for (let b = 0; b < BANDS; b++) buckets.add(hashes[b] ?? 0, row);
      return false;
    },
  };
}
