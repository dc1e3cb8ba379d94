import { describe, expect, it } from 'vitest';
import { fitLatentModel, type TermCounts } from '../../../src/embed/latent-semantic';
import { createBm25Index } from '../../../src/search/bm25';
import { createLatentScorer, fitLatent } from '../../../src/search/latent-scorer';
import { contentTerms } from '../../../src/text/tokens';
import { decodeLatent, encodeLatentParts } from '../../../src/store/latent-file';

/** Passages drawn from two topics of words; `bridge` words 0 and 1 never share a passage but share their neighbours. */
function twoTopics(count: number): TermCounts[] {
  const out: TermCounts[] = [];
  for (let i = 0; i < count; i++) {
    const topic = i % 2;
    const base = topic * 10;
    // Words base+2..base+9 are the topic's common words; word 0 or 1 (topic 0 only) alternates.
    const terms = [base + 2 + (i % 8), base + 2 + ((i + 3) % 8), base + 2 + ((i + 5) % 8)];
    if (topic === 0) terms.push(i % 4 === 0 ? 0 : 1);
    out.push({ terms: Int32Array.from(terms), counts: Float64Array.from(terms.map(() => 1)) });
  }
  return out;
}

const cos = (a: Float32Array | null, b: Float32Array | null): number => {
  if (!a || !b) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
};

describe('latent semantic model', () => {
  it('puts words used in the same contexts together, though they never share a passage', () => {
    const model = fitLatentModel(twoTopics(200), () => 1, { dims: 2 })?.model;
    expect(model).not.toBeNull();
    const m = model!;
    const word0 = m.project([0], [1]);
    const word1 = m.project([1], [1]);
    const otherTopic = m.project([12, 13], [1, 1]);
    expect(cos(word0, word1)).toBeGreaterThan(0.9);
    expect(cos(word0, otherTopic)).toBeLessThan(0.3);
  });

  it('gives the same model for the same corpus, and keeps only words it can place', () => {
    const docs = twoTopics(120);
    const a = fitLatentModel(docs, () => 1, { dims: 4 })!.model;
    const b = fitLatentModel(docs, () => 1, { dims: 4 })!.model;
    for (const terms of [[0], [2, 3], [12, 19]]) expect(Array.from(a.project(terms, terms.map(() => 1)) ?? [])).toEqual(Array.from(b.project(terms, terms.map(() => 1)) ?? []));
    for (const t of [0, 1, 2, 9, 12, 19]) expect(a.rowOf(t)).toBeGreaterThanOrEqual(0);
    const v = a.project([2, 3], [1, 1]);
    expect(v).not.toBeNull();
    expect(Math.hypot(...(v ?? []))).toBeCloseTo(1, 5);
    expect(a.rowOf(999)).toBe(-1);
    expect(a.project([999], [1])).toBeNull();
  });

  it('is not fitted on a corpus with too few passages or words', () => {
    expect(fitLatentModel([{ terms: [1, 2], counts: [1, 1] }], () => 1)).toBeNull();
  });
});

describe('latent scorer', () => {
  const texts = Array.from({ length: 60 }, (_, i) =>
    i % 2 === 0
      ? `The artillery shelled the trenches near the front line ${i % 4 === 0 ? 'howitzer' : 'cannon'} fire continued.`
      : 'Farmers harvested wheat and barley in the fields before the autumn rain arrived.',
  );
  const bm25 = createBm25Index(texts);

  it('is off below its passage minimum', () => {
    expect(fitLatent(bm25)).toBeNull();
    expect(createLatentScorer(bm25, null)).toBeNull();
  });

  it('scores a passage by meaning: a howitzer question matches cannon passages over farming ones', () => {
    const fitted = fitLatent(bm25, { minPassages: 10, dims: 2 });
    // What a build stores is what a load reads.
    const stored = decodeLatent(Buffer.concat(encodeLatentParts(fitted)));
    expect(stored?.terms).toEqual(fitted?.terms);
    expect(decodeLatent(Buffer.concat(encodeLatentParts(null)))).toBeNull();
    const scorer = createLatentScorer(bm25, stored)!;
    expect(scorer).not.toBeNull();
    const cannonDoc = texts.findIndex((t) => t.includes('cannon'));
    const farmDoc = texts.findIndex((t) => t.includes('wheat'));
    const termsOf = (doc: number): string[] => contentTerms(texts[doc] ?? '');
    const [toCannon, toFarm] = scorer.similarities([{ term: 'howitzer', weight: 1 }], [cannonDoc, farmDoc], termsOf);
    expect(toCannon).toBeGreaterThan(0.5);
    expect(toCannon).toBeGreaterThan((toFarm ?? 0) + 0.5);
    expect(scorer.similarities([{ term: 'unheardof', weight: 1 }], [cannonDoc], termsOf)).toEqual([0]);
  });
});
