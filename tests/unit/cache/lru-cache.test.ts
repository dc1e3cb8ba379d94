import { describe, expect, it } from 'vitest';
import { createLruCache } from '../../../src/cache/lru-cache';

describe('createLruCache', () => {
  it('keeps at most its capacity and drops the least recently used entry first', () => {
    const cache = createLruCache<number, string>(2);
    cache.set(1, 'a');
    cache.set(2, 'b');
    expect(cache.get(1)).toBe('a'); // 1 is now the most recently used
    cache.set(3, 'c');
    expect(cache.size).toBe(2);
    expect(cache.get(2)).toBeUndefined();
    expect(cache.get(1)).toBe('a');
    expect(cache.get(3)).toBe('c');
  });

  it('makes a value once per kept key', () => {
    const cache = createLruCache<string, number>(4);
    let made = 0;
    const make = (): number => ++made;
    expect(cache.getOrSet('x', make)).toBe(1);
    expect(cache.getOrSet('x', make)).toBe(1);
    expect(made).toBe(1);
    cache.set('x', 7);
    expect(cache.get('x')).toBe(7);
    expect(cache.size).toBe(1);
  });
});
