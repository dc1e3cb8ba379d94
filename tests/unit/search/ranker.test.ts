import { describe, expect, it } from 'vitest';
import { fitRanker, type RankGroup } from '../../../scripts/eval/fit-ranker';
import type { AnalyzedQuery } from '../../../src/search/query';
import { proximity, RANK_FEATURES, rankFeatures, rankScore } from '../../../src/search/ranker';

function queryOf(...stems: string[]): AnalyzedQuery {
  return { terms: stems.map((term) => ({ term, weight: 1 })), content: stems.map((s) => ({ stem: s, matches: [s], idf: 1 })), unknown: [], spelled: stems.join(' ') };
}

describe('learned ranker', () => {
  it('measures proximity as question words per word of the shortest stretch holding them all', () => {
    const q = queryOf('pokrovsk', 'evacu');
    expect(proximity(q, ['pokrovsk', 'evacu', 'famili'])).toBe(1);
    expect(proximity(q, ['pokrovsk', 'a', 'b', 'evacu', 'x', 'pokrovsk', 'evacu'])).toBe(1);
    expect(proximity(q, ['pokrovsk', 'a', 'b', 'evacu'])).toBe(0.5);
    expect(proximity(q, ['pokrovsk', 'a', 'b'])).toBe(0);
  });

  it('reads coverage, answer type, heading and comment from the evidence', () => {
    const q = queryOf('drone', 'launch');
    const base = {
      fused: 1, lexical: 1, dense: 0.5, cosineZ: 2.5, latent: 0.5,
      terms: ['russia', 'launch', 'drone'],
      heading: new Set<string>(),
      comment: false,
    };
    const withNumber = rankFeatures(q, 'number', {
      ...base,
      contains: (t) => t === 'drone' || t === 'launch',
      sentences: [{ text: 'Russia launched 40 drones.', terms: new Set(['russia', 'launch', 'drone']) }],
    });
    const f = Object.fromEntries(RANK_FEATURES.map((name, i) => [name, withNumber[i]]));
    expect(f).toMatchObject({ coverage: 1, sentenceCoverage: 1, proximity: 1, typeMatch: 1, heading: 0, comment: 0 });
    const comment = rankFeatures(q, 'number', {
      ...base,
      comment: true,
      heading: new Set(['drone']),
      contains: (t) => t === 'drone',
      sentences: [{ text: 'Drones again.', terms: new Set(['drone']) }],
    });
    const g = Object.fromEntries(RANK_FEATURES.map((name, i) => [name, comment[i]]));
    // A known question word missing from the passage counts half (it may be paraphrased there).
    expect(g).toMatchObject({ coverage: 1 / 1.5, typeMatch: 0, heading: 1 / 1.5, comment: 1 });
  });

  it('learns from pairs to put the relevant candidate first when one feature tells them apart', () => {
    const at = (name: string, v: number, noise: number): number[] => RANK_FEATURES.map((f, j) => (f === name ? v : ((j * 7 + noise) % 5) / 10));
    const groups: RankGroup[] = [];
    for (let i = 0; i < 40; i++) {
      groups.push({
        collection: 'questions',
        candidates: [
          { x: at('typeMatch', 0, i), rel: 0 },
          { x: at('typeMatch', 1, i + 1), rel: 1 },
          { x: at('typeMatch', 0, i + 2), rel: 0 },
        ],
      });
    }
    const model = fitRanker(groups, { questions: 1 });
    expect(model.weights.typeMatch).toBeGreaterThan(0);
    for (const g of groups) {
      const best = [...g.candidates].sort((a, b) => rankScore(model, b.x) - rankScore(model, a.x))[0];
      expect(best?.rel).toBe(1);
    }
  });

  it('fits only the features it is asked to, keeping the others frozen (stagewise fit of a new feature)', () => {
    const at = (name: string, v: number, noise: number): number[] => RANK_FEATURES.map((f, j) => (f === name ? v : ((j * 7 + noise) % 5) / 10));
    const groups: RankGroup[] = Array.from({ length: 30 }, (_, i) => ({
      collection: 'ir',
      candidates: [
        { x: at('latent', 0, i), rel: 0 },
        { x: at('latent', 1, i + 1), rel: 1 },
      ],
    }));
    const frozen = Object.fromEntries(RANK_FEATURES.filter((f) => f !== 'latent').map((f, j) => [f, j / 10]));
    const model = fitRanker(groups, { ir: 1 }, frozen);
    for (const [f, w] of Object.entries(frozen)) expect(model.weights[f as keyof typeof model.weights]).toBe(w);
    expect(model.weights.latent).toBeGreaterThan(0);
  });
});
