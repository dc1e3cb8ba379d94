/**
 * Cyrillic questions over the English seed reports: names are searched in Latin spelling.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Searcher } from '../../../src/search/types';
import { seedIndex } from '../../helpers/seed-index';

let searcher: Searcher;
beforeAll(async () => {
  ({ searcher } = await seedIndex());
});

describe('Cyrillic questions', () => {
  it.each([
    ['Ukrainian', 'Чи евакуюють жителів Покровська?'],
    ['Russian', 'Что происходит у Покровска?'],
    ['Ukrainian, the name alone', 'Покровськ'],
  ])('a %s question naming Покровськ finds the Pokrovsk passage', async (_language, question) => {
    const result = await searcher.search(question, { k: 3 });
    expect(result.question).toBe(question);
    expect(result.answered).toBe(true);
    const top = result.hits[0]!;
    expect(top.source).toBe('004_fec8b3c843a67b77.txt');
    expect(top.text).toContain('urging residents of Pokrovsk and nearby areas to evacuate');
    const highlighted = top.highlights.map(([s, e]) => top.text.slice(s - top.start, e - top.start)).join(' ');
    expect(highlighted).toContain('Pokrovsk');
  });

  it('a Cyrillic question without names is not answered from unrelated passages', async () => {
    const result = await searcher.search('Як справи у вас сьогодні?', { k: 3 });
    expect(result.answered).toBe(false);
  });
});
