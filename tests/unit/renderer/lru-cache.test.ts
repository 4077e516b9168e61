import { describe, expect, it } from 'vitest';
import { LruCache } from '../../../renderer/src/lib/lru-cache';

describe('LruCache', () => {
  it('keeps at most its size, dropping the least recently used entry', () => {
    const cache = new LruCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    // Reading 'a' makes 'b' the oldest.
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });

  it('replaces a value set again without growing', () => {
    const cache = new LruCache<string>(2);
    cache.set('a', 'old');
    cache.set('b', 'b');
    cache.set('a', 'new');
    cache.set('c', 'c');
    expect(cache.get('a')).toBe('new');
    expect(cache.get('b')).toBeUndefined();
  });
});
