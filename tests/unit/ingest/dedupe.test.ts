import { describe, expect, it } from 'vitest';
import { rng } from '../../../scripts/synthetic-corpus';
import { createDuplicateFilter } from '../../../src/ingest/dedupe';
import { createReferenceDuplicateFilter } from '../../helpers/reference-dedupe';

const WORDS = 'the army said on monday that drones struck a depot near the river while officials in kyiv reported new attacks on power lines and rail'.split(' ');

/** Texts with many exact copies, near copies (one or two words changed) and short lines, in a fixed order. */
function texts(n: number, seed: number): string[] {
  const rand = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = rand();
    const prev = out[Math.floor(rand() * out.length)];
    if (prev !== undefined && r < 0.15) out.push(prev.toUpperCase());
    else if (prev !== undefined && r < 0.45) {
      const words = prev.split(' ');
      const changes = 1 + Math.floor(rand() * 2);
      for (let c = 0; c < changes; c++) words[Math.floor(rand() * words.length)] = WORDS[Math.floor(rand() * WORDS.length)] ?? 'x';
      out.push(words.join(' '));
    } else {
      const len = rand() < 0.1 ? 3 + Math.floor(rand() * 5) : 30 + Math.floor(rand() * 60);
      out.push(Array.from({ length: len }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' '));
    }
  }
  return out;
}

describe('duplicate filter', () => {
  it('flags exactly the texts the Map-based reference flags, at two thresholds', () => {
    for (const [seed, threshold] of [
      [1, 0.9],
      [2, 0.9],
      [3, 0.7],
    ] as const) {
      const corpus = texts(4000, seed);
      const ours = createDuplicateFilter(threshold);
      const reference = createReferenceDuplicateFilter(threshold);
      const got = corpus.map((t) => ours.isDuplicate(t));
      const want = corpus.map((t) => reference.isDuplicate(t));
      // Exact copies are 15 % of the texts; near copies must add to them, so both paths are exercised.
      expect(want.filter(Boolean).length).toBeGreaterThan(800);
      expect(want.filter((x) => !x).length).toBeGreaterThan(1000);
      expect(got).toEqual(want);
    }
  });

  it('treats case and punctuation as the same words, and keeps the first of a pair', () => {
    const filter = createDuplicateFilter(0.9);
    expect(filter.isDuplicate('Drones struck a depot near the river on Monday, officials said.')).toBe(false);
    expect(filter.isDuplicate('drones struck a depot near the river on monday officials said')).toBe(true);
    expect(filter.isDuplicate('Short line.')).toBe(false);
    expect(filter.isDuplicate('short line')).toBe(true);
  });
});

describe('duplicate filter on long texts that share much wording', () => {
  it('still finds the near copy of one of many similar reports, and flags none of the others', () => {
    const rand = rng(11);
    const sentences = Array.from({ length: 40 }, (_, s) => Array.from({ length: 12 }, (_, w) => WORDS[(s * 7 + w * 3 + Math.floor(rand() * 3)) % WORDS.length]).join(' ') + ` s${s}.`);
    const reports = Array.from({ length: 60 }, (_, r) => [`report ${r}`, ...Array.from({ length: 120 }, () => sentences[Math.floor(rand() * sentences.length)])].join(' '));
    const filter = createDuplicateFilter(0.9);
    const reference = createReferenceDuplicateFilter(0.9);
    for (const text of reports) expect(filter.isDuplicate(text)).toBe(reference.isDuplicate(text));
    const words = (reports[17] ?? '').split(' ');
    words[40] = 'changed';
    expect(filter.isDuplicate(words.join(' '))).toBe(true);
  });
});
