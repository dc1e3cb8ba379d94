import { describe, expect, it } from 'vitest';
import { clip } from '../../../src/text/clip';

describe('clip', () => {
  it('cuts at a word boundary with an ellipsis and never splits emoji', () => {
    expect(clip('short', 10)).toBe('short');
    expect(clip('one two three four five', 12)).toBe('one two…');
    const out = clip('🚀'.repeat(20), 7);
    expect(out.length).toBeLessThanOrEqual(7);
    expect(out).toBe('🚀🚀🚀…');
  });
});
