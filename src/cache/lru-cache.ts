/**
 * A bounded cache that drops the least recently used entry first: the hot sets of a served index
 * (vector rows, passage texts, recounted terms, unknown words' neighbours) without unbounded growth.
 */
export interface LruCache<K, V> {
  /** The value for `key`, marked as just used; undefined when it is not kept. */
  get(key: K): V | undefined;
  /** Keeps `value` for `key`, dropping the least recently used entry when full. */
  set(key: K, value: V): void;
  /** The kept value for `key`, or `make()`'s value, kept. */
  getOrSet(key: K, make: () => V): V;
  readonly size: number;
}

export function createLruCache<K, V>(capacity: number): LruCache<K, V> {
  const entries = new Map<K, V>();
  const cache: LruCache<K, V> = {
    get(key) {
      const value = entries.get(key);
      if (value !== undefined) {
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    set(key, value) {
      entries.delete(key);
      if (entries.size >= capacity) entries.delete(entries.keys().next().value as K);
      entries.set(key, value);
    },
    getOrSet(key, make) {
      let value = cache.get(key);
      if (value === undefined) cache.set(key, (value = make()));
      return value;
    },
    get size() {
      return entries.size;
    },
  };
  return cache;
}
