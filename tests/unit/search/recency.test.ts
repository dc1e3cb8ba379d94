import { describe, expect, it } from 'vitest';
import { asksForRecent, preferRecent, withoutRecencyWords } from '../../../src/search/recency';

describe('recency', () => {
  it('recognises questions about the latest, recent or current state', () => {
    for (const q of ["What's the latest on Pokrovsk?", 'Any recent attacks on Odesa?', 'What is the current situation in Kursk?', 'Who holds Robotyne now?']) {
      expect(asksForRecent(q), q).toBe(true);
    }
    for (const q of ['What happened in Pokrovsk?', 'Who won the election?', 'How many drones were launched?']) expect(asksForRecent(q), q).toBe(false);
  });

  it('matches words without the recency words, unless nothing else is left', () => {
    expect(withoutRecencyWords("What's the latest on Pokrovsk?")).toBe("What's the on Pokrovsk?");
    expect(withoutRecencyWords('latest?')).toBe('latest?');
  });

  it('puts newer reports first among the relevant candidates and leaves the rest below', () => {
    const dates: Record<number, string | null> = { 0: '2024-07-01', 1: '2024-08-25', 2: null, 3: '2024-09-30' };
    const ranked = [
      { doc: 0, score: 1.0 },
      { doc: 1, score: 0.8 },
      { doc: 2, score: 0.7 },
      { doc: 3, score: 0.3 },
    ];
    const order = preferRecent(ranked, (doc) => dates[doc] ?? null).map((r) => r.doc);
    expect(order).toEqual([1, 0, 2, 3]);
  });

  it('counts a newer candidate on the question\'s topic as relevant even when its score is low', () => {
    const dates: Record<number, string> = { 0: '2024-07-01', 1: '2024-08-25', 2: '2024-09-30' };
    const ranked = [
      { doc: 0, score: 1.0 },
      { doc: 2, score: 0.45 },
      { doc: 1, score: 0.3 },
    ];
    const order = preferRecent(ranked, (doc) => dates[doc] ?? null, (doc) => doc === 1).map((r) => r.doc);
    expect(order).toEqual([1, 0, 2]);
    expect(preferRecent(ranked, (doc) => dates[doc] ?? null).map((r) => r.doc)).toEqual([0, 2, 1]);
  });

  it('changes nothing when no relevant candidate has a date', () => {
    const ranked = [
      { doc: 0, score: 1 },
      { doc: 1, score: 0.9 },
    ];
    expect(preferRecent(ranked, () => null)).toEqual(ranked);
  });
});
