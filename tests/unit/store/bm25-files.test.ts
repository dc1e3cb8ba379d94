import { describe, expect, it } from 'vitest';
import { bm25FromData, buildBm25Data, createBm25Index } from '../../../src/search/bm25';
import { decodeBm25, decodeTermList, encodeBm25, encodeTermList } from '../../../src/store/bm25-files';

const TEXTS = [
  'Russian forces attacked Pokrovsk and Toretsk; Ukrainian forces repelled the attacks.',
  'Drones struck the bridge at Zatoka overnight, cutting the road to the coast.',
  'The attack on Pokrovsk continued. Attacks, attacking, attacked: one stem.',
  '',
  'Кириличний текст and naïve café words mixed in.',
];

describe('BM25 files', () => {
  it('load back into an index that answers exactly like one built from the texts', () => {
    const built = createBm25Index(TEXTS);
    const loaded = bm25FromData(decodeBm25(encodeBm25(buildBm25Data(TEXTS))), (d) => TEXTS[d] ?? '');
    expect([...loaded.vocabulary()]).toEqual([...built.vocabulary()]);
    expect([...loaded.surfaceForms()]).toEqual([...built.surfaceForms()]);
    const queries = [
      [{ term: 'attack', weight: 1 }],
      [{ term: 'pokrovsk', weight: 1 }, { term: 'forc', weight: 0.5 }],
      [{ term: 'bridg', weight: 2 }, { term: 'unknown', weight: 1 }],
    ];
    for (const q of queries) {
      expect(loaded.search(q, 5)).toEqual(built.search(q, 5));
      expect(loaded.searchExhaustive(q, 5)).toEqual(built.searchExhaustive(q, 5));
      for (let d = 0; d < TEXTS.length; d++) expect(loaded.scoreDoc(q, d)).toBe(built.scoreDoc(q, d));
    }
    for (let d = 0; d < TEXTS.length; d++) expect(loaded.termsOf(d)).toEqual(built.termsOf(d));
    expect(loaded.termsOf(2).terms.find(([t]) => t === built.surfaceForms().get('attacks'))?.[1]).toBe(4);
  });

  it('rejects arrays that do not fit together', () => {
    const data = buildBm25Data(TEXTS);
    expect(() => decodeBm25(encodeBm25({ ...data, postTfs: data.postTfs.subarray(1) }))).toThrow(/term frequencies/);
    expect(() => decodeBm25(encodeBm25({ ...data, docCount: 2 }))).toThrow(/lengths/);
  });

  it('stores corpus words with and without English ranks, and which rows are induced', () => {
    expect(decodeTermList(encodeTermList({ words: ['attack', 'café'], ranks: [12, 0] }))).toEqual({ words: ['attack', 'café'], ranks: [12, 0], induced: [] });
    expect(decodeTermList(encodeTermList({ words: [], ranks: null }))).toEqual({ words: [], ranks: null, induced: [] });
    expect(decodeTermList(encodeTermList({ words: ['bakhmut', 'city'], ranks: null, induced: [0] }))).toEqual({ words: ['bakhmut', 'city'], ranks: null, induced: [0] });
  });
});
