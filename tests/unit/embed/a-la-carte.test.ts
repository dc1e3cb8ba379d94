import { describe, expect, it } from 'vitest';
import { addInducedWords, induceVectors, withInducedWords } from '../../../src/embed/a-la-carte';
import type { Embedder } from '../../../src/embed/types';

const DIMS = 8;

/** A deterministic pseudo-random generator, so the synthetic vocabulary is the same on every run. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) % 4294967296;
    return s / 4294967296 - 0.5;
  };
}

function unit(v: number[]): Float32Array {
  const n = Math.hypot(...v);
  return Float32Array.from(v.map((x) => x / n));
}

function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
}

/**
 * Two topics, each a direction in space; a topic's words are noisy copies of its direction. The
 * word "zorkov" (unknown to the model) only ever occurs among words of the first topic.
 */
function world() {
  const rand = lcg(7);
  const topics = [unit(Array.from({ length: DIMS }, rand)), unit(Array.from({ length: DIMS }, rand))];
  const known = new Map<string, Float32Array>();
  const byTopic: string[][] = [[], []];
  for (let t = 0; t < 2; t++) {
    for (let i = 0; i < 30; i++) {
      const word = `${t === 0 ? 'alpha' : 'beta'}${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}x`;
      known.set(word, unit(Array.from(topics[t] as Float32Array, (x) => x + 0.3 * rand())));
      byTopic[t]?.push(word);
    }
  }
  const texts: string[] = [];
  for (let k = 0; k < 200; k++) {
    const t = k % 2;
    const words = Array.from({ length: 12 }, (_, j) => byTopic[t]?.[(k * 7 + j * 5) % 30] as string);
    if (t === 0 && k % 4 === 0) words.splice(6, 0, 'zorkov');
    texts.push(words.join(' '));
  }
  return { topics, known, texts };
}

describe('induceVectors', () => {
  it('gives a word the model lacks a vector close to the words it occurs among', () => {
    const { topics, known, texts } = world();
    const induced = induceVectors({ texts, known, unknown: new Set(['zorkov']), dims: DIMS });
    const v = induced.get('zorkov');
    expect(v).toBeDefined();
    const own = v as Float32Array;
    expect(Math.hypot(...own)).toBeCloseTo(1, 5);
    expect(cosine(own, topics[0] as Float32Array)).toBeGreaterThan(0.8);
    expect(cosine(own, topics[0] as Float32Array)).toBeGreaterThan(cosine(own, topics[1] as Float32Array) + 0.3);
  });

  it('induces nothing when too few known words can teach the map', () => {
    const { known } = world();
    const induced = induceVectors({ texts: ['alphaaax zorkov alphabax'], known, unknown: new Set(['zorkov']), dims: DIMS });
    expect(induced.size).toBe(0);
  });
});

describe('addInducedWords', () => {
  const model = unit([1, 0, 0, 0, 0, 0, 0, 0]);
  const induced = new Map([['bakhmut', unit([0, 1, 0, 0, 0, 0, 0, 0])]]);

  it('leaves a text without induced words as the model embedded it', () => {
    expect(addInducedWords(model, 'shelling near the river', induced)).toBe(model);
  });

  it('adds an induced word as one more word of the text', () => {
    const v = addInducedWords(model, 'shelling near Bakhmut', induced);
    // The model's vector stands for two content words (length √2), the induced word for one.
    expect(v[0]).toBeCloseTo(Math.SQRT2 / Math.sqrt(3), 5);
    expect(v[1]).toBeCloseTo(1 / Math.sqrt(3), 5);
  });

  it('uses the induced vector alone when the text has no other content word', () => {
    const v = addInducedWords(model, 'what about Bakhmut?', induced);
    expect(Array.from(v)).toEqual(Array.from(induced.get('bakhmut') as Float32Array));
  });

  it('wraps an embedder for questions and passages alike', async () => {
    const base: Embedder = {
      info: { id: 'test', dims: DIMS, pooling: 'mean', fingerprint: 'f', offline: true },
      embedQuery: async () => model,
      embedPassages: async (texts) => texts.map(() => model),
    };
    const wrapped = withInducedWords(base, induced);
    const q = await wrapped.embedQuery('bakhmut');
    const [p, plain] = await wrapped.embedPassages(['Bakhmut', 'the river']);
    expect(Array.from(q)).toEqual(Array.from(p as Float32Array));
    expect(plain).toBe(model);
    expect(withInducedWords(base, new Map())).toBe(base);
  });
});
