/** The Map-of-strings duplicate filter before it moved to typed arrays: the reference its replacement must agree with. */
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
/** Odd multipliers that derive the min-hash family from one base hash per shingle. */
const MULTIPLIERS = Uint32Array.from({ length: HASHES }, (_, i) => (Math.imul(0x9e3779b1, i + 1) | 1) >>> 0);

interface Signature {
  /** Sorted, distinct shingle hashes. */
  shingles: Uint32Array;
  mins: Uint32Array;
}

function normalise(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  h ^= h >>> 12;
  return h >>> 0;
}

function signature(words: string[]): Signature {
  const hashes = new Set<number>();
  for (let i = 0; i + SHINGLE <= words.length; i++) hashes.add(hash32(`${words[i]} ${words[i + 1]} ${words[i + 2]}`));
  const shingles = Uint32Array.from(hashes).sort();
  const mins = new Uint32Array(HASHES).fill(0xffffffff);
  for (const base of shingles) {
    const mixed = (base ^ (base >>> 16)) >>> 0;
    for (let i = 0; i < HASHES; i++) {
      let h = Math.imul(mixed, MULTIPLIERS[i] ?? 1) >>> 0;
      h = (h ^ (h >>> 13)) >>> 0;
      if (h < (mins[i] ?? 0)) mins[i] = h;
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

interface DuplicateFilter {
  /** True when `text` duplicates an earlier text; otherwise remembers it and returns false. */
  isDuplicate(text: string): boolean;
}

export function createReferenceDuplicateFilter(threshold: number): DuplicateFilter {
  const exact = new Set<string>();
  const kept: Signature[] = [];
  const buckets = new Map<string, number[]>();

  return {
    isDuplicate(text: string): boolean {
      const words = normalise(text);
      const key = words.join(' ');
      if (exact.has(key)) return true;
      exact.add(key);
      if (words.length < MIN_WORDS_FOR_NEAR) return false;
      const sig = signature(words);
      const keys: string[] = [];
      for (let b = 0; b < BANDS; b++) keys.push(`${b}:${sig.mins.subarray(b * ROWS, (b + 1) * ROWS).join(',')}`);
      const seen = new Set<number>();
      for (const k of keys) {
        for (const idx of buckets.get(k) ?? []) {
          if (seen.has(idx)) continue;
          seen.add(idx);
          const other = kept[idx];
          if (!other || agreement(sig.mins, other.mins) < threshold - ESTIMATE_SLACK) continue;
          if (jaccard(sig.shingles, other.shingles) >= threshold) return true;
        }
      }
      const idx = kept.push(sig) - 1;
      for (const k of keys) {
        const list = buckets.get(k);
        if (list) list.push(idx);
        else buckets.set(k, [idx]);
      }
      return false;
    },
  };
}
