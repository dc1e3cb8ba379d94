/**
 * Exact and near-exact duplicate detection for paragraphs across a whole corpus.
 * The first occurrence is kept; later ones are reported as duplicates.
 */

/** Texts shorter than this (in words) are compared exactly only; shingles are unreliable on them. */
const MIN_WORDS_FOR_NEAR = 8;
const SHINGLE = 3;
/**
 * LSH banding over min-hashes: 5 bands of 3. A pair with Jaccard J becomes a candidate with
 * p = 1-(1-J³)⁵: 0.998 at J=0.9 but 0.13 at J=0.3, so texts that merely share sentences are rarely compared.
 */
const BANDS = 5;
const ROWS = 3;
const HASHES = BANDS * ROWS;
/** Odd multipliers that derive the min-hash family from one base hash per shingle. */
const MULTIPLIERS = Array.from({ length: HASHES }, (_, i) => (Math.imul(0x9e3779b1, i + 1) | 1) >>> 0);

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

function shingles(words: string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + SHINGLE <= words.length; i++) out.add(words.slice(i, i + SHINGLE).join(' '));
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const s of small) if (large.has(s)) inter++;
  return inter / (a.size + b.size - inter);
}

export interface DuplicateFilter {
  /** True when `text` duplicates an earlier text; otherwise remembers it and returns false. */
  isDuplicate(text: string): boolean;
}

export function createDuplicateFilter(threshold: number): DuplicateFilter {
  const exact = new Set<string>();
  const kept: Array<Set<string>> = [];
  const buckets = new Map<string, number[]>();

  return {
    isDuplicate(text: string): boolean {
      const words = normalise(text);
      const key = words.join(' ');
      if (exact.has(key)) return true;
      exact.add(key);
      if (words.length < MIN_WORDS_FOR_NEAR) return false;
      const sh = shingles(words);
      const mins = new Array<number>(HASHES).fill(Infinity);
      for (const s of sh) {
        const base = hash32(s);
        for (let i = 0; i < HASHES; i++) {
          let h = Math.imul(base ^ (base >>> 16), MULTIPLIERS[i] ?? 1) >>> 0;
          h ^= h >>> 13;
          if (h < (mins[i] ?? Infinity)) mins[i] = h;
        }
      }
      const keys = Array.from({ length: BANDS }, (_, b) => `${b}:${mins.slice(b * ROWS, (b + 1) * ROWS).join(',')}`);
      const seen = new Set<number>();
      for (const k of keys) {
        for (const idx of buckets.get(k) ?? []) {
          if (seen.has(idx)) continue;
          seen.add(idx);
          const other = kept[idx];
          if (other && jaccard(sh, other) >= threshold) return true;
        }
      }
      const idx = kept.push(sh) - 1;
      for (const k of keys) {
        const list = buckets.get(k);
        if (list) list.push(idx);
        else buckets.set(k, [idx]);
      }
      return false;
    },
  };
}
