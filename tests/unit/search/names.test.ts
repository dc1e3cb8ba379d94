import { describe, expect, it } from 'vitest';
import { frequentNames } from '../../../src/search/names';

describe('frequent names for "they cover" hints', () => {
  const texts = [
    'On Monday the Russian army hit Kharkiv in March, and Russia denied it.',
    'In March the Ukrainian forces held Pokrovsk while Russia pressed on.',
    'By Friday the Russian drones reached Kharkiv again, Ukraine said.',
    'Officials in Kharkiv said the Ukrainian air defence worked.',
  ];

  it('ranks names by the passages that mention them, without months or weekdays', () => {
    const names = frequentNames(texts, 10);
    expect(names).not.toContain('March');
    expect(names).not.toContain('Monday');
    expect(names).not.toContain('Friday');
    expect(names[0]).toBe('Kharkiv');
  });

  it('folds a word formed on a name into the name, whichever comes first', () => {
    const names = frequentNames(texts, 10);
    expect(names).toContain('Russia');
    expect(names).toContain('Ukraine');
    expect(names).not.toContain('Russian');
    expect(names).not.toContain('Ukrainian');
    expect(names).toEqual([...new Set(names)]);
  });

  it('keeps names that only share a beginning', () => {
    expect(frequentNames(['Then Kherson and Khersonia met.'], 5)).toEqual(['Kherson', 'Khersonia']);
    expect(frequentNames(['He met Ivanov and Ivanova there.'], 5)).toEqual(['Ivanov', 'Ivanova']);
  });
});
