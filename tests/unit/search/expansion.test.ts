import { describe, expect, it } from 'vitest';
import { createTermExpander, EXPANSION_MIN_COSINE, EXPANSION_NEIGHBOURS, pickNeighbours } from '../../../src/search/expansion';

describe('meaning-neighbour expansion', () => {
  // Unit vectors at angle i·0.1 rad from the x axis: cosine to the query falls with i.
  const words = Array.from({ length: 12 }, (_, i) => `w${String.fromCharCode(97 + i)}`);
  const vectors = Float32Array.from(words.flatMap((_, i) => [Math.cos(i * 0.1), Math.sin(i * 0.1)]));
  const expander = createTermExpander({ words, vectors, ranks: null }, 2);
  const query = Float32Array.from([1, 0]);

  it('lists every word above the cosine floor, best first', () => {
    const nearest = expander.nearest(query);
    expect(nearest.map((n) => n.word)).toEqual(words.filter((_, i) => Math.cos(i * 0.1) >= EXPANSION_MIN_COSINE));
    expect(nearest.every((n, i) => i === 0 || n.cosine <= (nearest[i - 1]?.cosine ?? 1))).toBe(true);
  });

  it('takes the first allowed words of that list, as neighbours does', () => {
    const exclude = (w: string): boolean => w === 'wa' || w === 'wc';
    const picked = pickNeighbours(expander.nearest(query), exclude);
    expect(picked.map((n) => n.word)).toEqual(['wb', 'wd', 'we', 'wf', 'wg'].slice(0, EXPANSION_NEIGHBOURS));
    expect(expander.neighbours(query, exclude)).toEqual(picked);
  });
});
