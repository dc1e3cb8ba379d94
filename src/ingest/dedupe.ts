/**
 * Exact and near-exact duplicate detection for paragraphs across a whole corpus.
 * The first occurrence is kept; later ones are reported as duplicates.
 */

/** Texts shorter than this (in words) are compared exactly only; shingles are unreliable on them. */
const MIN_WORDS_FOR_NEAR = 8;
const SHINGLE = 3;
/** Independent min-hash functions used to find candidates; a near-duplicate is missed with p ≈ (1-J)^4. */
const HASH_SEEDS = [0x811c9dc5, 0x01000193, 0x9e3779b1, 0x85ebca6b];

function normalise(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function hash32(text: string, seed: number): number {
  let h = seed >>> 0;
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
      const keys = HASH_SEEDS.map((seed, i) => {
        let min = Infinity;
        for (const s of sh) min = Math.min(min, hash32(s, seed));
        return `${i}:${min}`;
      });
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
