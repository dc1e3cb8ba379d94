import { describe, expect, it } from 'vitest';
import { BM25_WINDOW, createBm25Index, type WeightedTerm } from '../../../src/search/bm25';

/** Deterministic generator so a failure names a reproducible query. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

const SYLLABLES = ['ka', 'ro', 'mi', 'tus', 'len', 'vor', 'pai', 'dex', 'nul', 'sio', 'bre', 'qua'];

/** Words with a Zipf-like frequency: a few very common terms (long lists) and a long tail. */
function corpus(docs: number, seed: number): string[] {
  const rand = rng(seed);
  const vocab = Array.from({ length: 3000 }, (_, i) => {
    let w = '';
    for (let x = i + 1; x > 0; x = Math.floor(x / SYLLABLES.length)) w += SYLLABLES[x % SYLLABLES.length];
    return `${w}z`;
  });
  const pick = (): string => vocab[Math.floor(vocab.length * rand() ** 3)] ?? 'kaz';
  return Array.from({ length: docs }, () => {
    const words: string[] = [];
    const length = 3 + Math.floor(rand() * 150);
    for (let i = 0; i < length; i++) {
      const w = pick();
      words.push(w);
      if (rand() < 0.1) words.push(w, w);
    }
    return words.join(' ');
  });
}

describe('pruned BM25 search', () => {
  const texts = corpus(4000, 11);
  const index = createBm25Index(texts);
  const vocab = [...index.vocabulary()].sort((a, b) => index.df(b) - index.df(a));

  it('returns the same top 10 as exhaustive scoring on 1,000 random queries', () => {
    const rand = rng(5);
    let compared = 0;
    for (let q = 0; q < 1000; q++) {
      const terms: WeightedTerm[] = [];
      const count = 1 + Math.floor(rand() * 8);
      for (let i = 0; i < count; i++) {
        // Mostly common terms (the costly case), some rare ones, an occasional repeat or unknown word.
        const r = rand();
        const term = r < 0.05 ? 'unknownword' : (vocab[Math.floor(vocab.length * rand() ** (r < 0.6 ? 4 : 1))] ?? 'kaz');
        terms.push({ term, weight: rand() < 0.3 ? 1 : 0.05 + rand() * 2 });
        if (rand() < 0.05) terms.push({ ...terms[terms.length - 1]! });
      }
      const limit = [1, 3, 10, 50][q % 4] ?? 10;
      const pruned = index.search(terms, limit).slice(0, 10);
      const exhaustive = index.searchExhaustive(terms, limit).slice(0, 10);
      expect(pruned, JSON.stringify({ q, terms, limit })).toEqual(exhaustive);
      compared += exhaustive.length;
    }
    expect(compared).toBeGreaterThan(5000);
  });

  it('returns the same top 50 as exhaustive scoring for feedback-expanded queries (a few question terms, many light common terms)', () => {
    const rand = rng(9);
    for (let q = 0; q < 200; q++) {
      const terms: WeightedTerm[] = [];
      const asked = 1 + Math.floor(rand() * 5);
      for (let i = 0; i < asked; i++) terms.push({ term: vocab[Math.floor(vocab.length * rand() ** 2)] ?? 'kaz', weight: 0.7 / asked });
      for (let i = 0; i < 30; i++) terms.push({ term: vocab[Math.floor(200 * rand())] ?? 'kaz', weight: (0.3 * (1 + rand())) / 45 });
      const limit = q % 2 === 0 ? 50 : 10;
      expect(index.search(terms, limit), JSON.stringify({ q, terms, limit })).toEqual(index.searchExhaustive(terms, limit));
    }
  });

  it('returns the same top 50 as exhaustive scoring when the documents span several search windows', () => {
    const big = createBm25Index(corpus(3 * BM25_WINDOW + 500, 17));
    const words = [...big.vocabulary()].sort((a, b) => big.df(b) - big.df(a));
    const rand = rng(23);
    for (let q = 0; q < 120; q++) {
      const terms: WeightedTerm[] = [];
      const asked = 1 + Math.floor(rand() * 5);
      for (let i = 0; i < asked; i++) terms.push({ term: words[Math.floor(words.length * rand() ** 2)] ?? 'kaz', weight: 0.7 / asked });
      const light = q % 3 === 0 ? 0 : 30;
      for (let i = 0; i < light; i++) terms.push({ term: words[Math.floor(200 * rand())] ?? 'kaz', weight: (0.3 * (1 + rand())) / 45 });
      const limit = [1, 10, 50][q % 3] ?? 10;
      expect(big.search(terms, limit), JSON.stringify({ q, terms, limit })).toEqual(big.searchExhaustive(terms, limit));
    }
  });

  it('agrees with scoreDoc and contains for every hit', () => {
    const terms = vocab.slice(0, 4).map((term, i) => ({ term, weight: 1 + i }));
    const hits = index.search(terms, 20);
    expect(hits).toHaveLength(20);
    for (const { doc, score } of hits) {
      expect(index.scoreDoc(terms, doc)).toBeCloseTo(score, 9);
      expect(terms.some((t) => index.contains(doc, t.term))).toBe(true);
    }
  });

  it('scores a batch of documents exactly as scoreDoc does, one by one', () => {
    const rand = rng(31);
    for (let q = 0; q < 200; q++) {
      const terms: WeightedTerm[] = [];
      for (let i = 1 + Math.floor(rand() * 30); i > 0; i--) terms.push({ term: rand() < 0.05 ? 'unknownword' : (vocab[Math.floor(vocab.length * rand() ** 2)] ?? 'kaz'), weight: 0.01 + rand() });
      // Unsorted, with repeats and both ends of the collection.
      const docs = Array.from({ length: 1 + Math.floor(rand() * 60) }, () => Math.floor(rand() * texts.length));
      docs.push(0, texts.length - 1, docs[0] ?? 0);
      expect(Array.from(index.scoreDocs(terms, docs)), JSON.stringify({ q, terms })).toEqual(docs.map((doc) => index.scoreDoc(terms, doc)));
    }
  });

  it('keeps each document’s terms and frequencies in the forward index', () => {
    const idx = createBm25Index(['alpha beta alpha gamma', '', 'gamma']);
    expect(idx.termsOf(0)).toEqual({ terms: [['alpha', 2], ['beta', 1], ['gamma', 1]], length: 4 });
    expect(idx.termsOf(1)).toEqual({ terms: [], length: 0 });
    // A second read comes from the recount kept by the first and holds the same terms.
    expect(idx.termsOf(0)).toEqual({ terms: [['alpha', 2], ['beta', 1], ['gamma', 1]], length: 4 });
    expect(idx.df('gamma')).toBe(2);
    expect(idx.contains(2, 'gamma')).toBe(true);
    expect(idx.contains(2, 'alpha')).toBe(false);
    expect(idx.search([{ term: 'gamma', weight: 1 }], 5).map((h) => h.doc)).toEqual([2, 0]);
  });
});
