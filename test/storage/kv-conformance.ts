import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type KeyValueStore, KeyValueStoreError } from '../../src/storage/kv/types.js';

/**
 * The behaviour every KeyValueStore shares. `makeStore` must give a store with its own key
 * namespace on each call (two calls: two prefixes); the suite closes what it opens.
 */
export function describeKeyValueStoreConformance(
  name: string,
  makeStore: () => Promise<KeyValueStore>,
): void {
  describe(`${name} (KeyValueStore conformance)`, () => {
    const opened: KeyValueStore[] = [];
    const open = async () => {
      const store = await makeStore();
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    it('gets what was set, overwrites, and returns null for a missing key', async () => {
      const kv = await open();
      expect(await kv.get('missing')).toBeNull();
      await kv.set('k', 'one');
      expect(await kv.get('k')).toBe('one');
      await kv.set('k', 'two');
      expect(await kv.get('k')).toBe('two');
      await kv.set('unicode', 'héllo ✓');
      expect(await kv.get('unicode')).toBe('héllo ✓');
    });

    it('expires keys after their ttl, and a plain set clears an earlier ttl', async () => {
      const kv = await open();
      await kv.set('short', 'v', 80);
      await kv.set('cleared', 'v', 80);
      await kv.set('cleared', 'w');
      expect(await kv.get('short')).toBe('v');
      await sleep(200);
      expect(await kv.get('short')).toBeNull();
      expect(await kv.get('cleared')).toBe('w');
      expect(await kv.ttl('cleared')).toBeNull();
    });

    it('reports the remaining ttl, or null when missing or without one', async () => {
      const kv = await open();
      await kv.set('with', 'v', 10_000);
      await kv.set('without', 'v');
      const ttl = await kv.ttl('with');
      expect(ttl).toBeGreaterThan(9_000);
      expect(ttl).toBeLessThanOrEqual(10_000);
      expect(await kv.ttl('without')).toBeNull();
      expect(await kv.ttl('missing')).toBeNull();
    });

    it('setIfAbsent sets only once, and again after expiry', async () => {
      const kv = await open();
      expect(await kv.setIfAbsent('once', 'first', 80)).toBe(true);
      expect(await kv.setIfAbsent('once', 'second', 80)).toBe(false);
      expect(await kv.get('once')).toBe('first');
      await sleep(200);
      expect(await kv.setIfAbsent('once', 'third')).toBe(true);
      expect(await kv.get('once')).toBe('third');
      expect(await kv.ttl('once')).toBeNull();
    });

    it('setIfAbsent has exactly one winner among concurrent callers', async () => {
      const kv = await open();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => kv.setIfAbsent('race', `caller-${i}`, 10_000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await kv.get('race')).toBe(`caller-${results.indexOf(true)}`);
    });

    it('increments by 1 by default, by n when asked, and counts concurrent calls exactly', async () => {
      const kv = await open();
      expect(await kv.increment('n')).toBe(1);
      expect(await kv.increment('n')).toBe(2);
      expect(await kv.increment('n', 5)).toBe(7);
      expect(await kv.increment('n', -10)).toBe(-3);
      expect(await kv.get('n')).toBe('-3');
      await kv.set('s', '41');
      expect(await kv.increment('s')).toBe(42);
      await Promise.all(Array.from({ length: 40 }, () => kv.increment('many')));
      expect(await kv.get('many')).toBe('40');
    });

    it('gives a ttl only to a counter created by the increment', async () => {
      const kv = await open();
      expect(await kv.increment('fresh', 1, 1_000)).toBe(1);
      const first = await kv.ttl('fresh');
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThanOrEqual(1_000);
      expect(await kv.increment('fresh', 1, 60_000)).toBe(2);
      expect(await kv.ttl('fresh')).toBeLessThanOrEqual(1_000);
      await kv.set('zero', '0');
      expect(await kv.increment('zero', 5, 60_000)).toBe(5);
      expect(await kv.ttl('zero')).toBeNull();
      expect(await kv.increment('short', 1, 80)).toBe(1);
      await sleep(200);
      expect(await kv.increment('short', 1, 80)).toBe(1);
    });

    it('rejects incrementing a value that is not an integer', async () => {
      const kv = await open();
      await kv.set('word', 'abc');
      await kv.set('float', '1.5');
      await expect(kv.increment('word')).rejects.toBeInstanceOf(KeyValueStoreError);
      await expect(kv.increment('float')).rejects.toBeInstanceOf(KeyValueStoreError);
      await expect(kv.increment('n', 1.5)).rejects.toBeInstanceOf(KeyValueStoreError);
      expect(await kv.get('word')).toBe('abc');
    });

    it('deletes keys and counts those that existed', async () => {
      const kv = await open();
      await kv.set('a', '1');
      await kv.set('b', '2');
      await kv.listPush('l', ['x']);
      expect(await kv.delete('a', 'b', 'l', 'nope')).toBe(3);
      expect(await kv.get('a')).toBeNull();
      expect(await kv.listRange('l')).toEqual([]);
      expect(await kv.delete('a')).toBe(0);
      expect(await kv.delete()).toBe(0);
    });

    it('pushes to lists and reads ranges like LRANGE', async () => {
      const kv = await open();
      expect(await kv.listRange('missing')).toEqual([]);
      expect(await kv.listPush('l', ['a', 'b'])).toBe(2);
      expect(await kv.listPush('l', ['c', 'd', 'e'])).toBe(5);
      expect(await kv.listRange('l')).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(await kv.listRange('l', 0, 1)).toEqual(['a', 'b']);
      expect(await kv.listRange('l', 1, -2)).toEqual(['b', 'c', 'd']);
      expect(await kv.listRange('l', -2, -1)).toEqual(['d', 'e']);
      expect(await kv.listRange('l', -2)).toEqual(['d', 'e']);
      expect(await kv.listRange('l', -100, 1)).toEqual(['a', 'b']);
      expect(await kv.listRange('l', 3, 100)).toEqual(['d', 'e']);
      expect(await kv.listRange('l', 3, 1)).toEqual([]);
      expect(await kv.listRange('l', 10, 20)).toEqual([]);
      expect(await kv.listRange('l', -1, -3)).toEqual([]);
      expect(await kv.listPush('l', [])).toBe(5);
      expect(await kv.listPush('empty', [])).toBe(0);
      const many = Array.from({ length: 2_500 }, (_, i) => String(i));
      expect(await kv.listPush('many', many, { maxLength: 2_400 })).toBe(2_400);
      expect(await kv.listRange('many', 0, 0)).toEqual(['100']);
    });

    it('trims lists to maxLength, keeping the newest items', async () => {
      const kv = await open();
      expect(await kv.listPush('l', ['1', '2', '3'], { maxLength: 4 })).toBe(3);
      expect(await kv.listPush('l', ['4', '5', '6'], { maxLength: 4 })).toBe(4);
      expect(await kv.listRange('l')).toEqual(['3', '4', '5', '6']);
      expect(await kv.listPush('l', ['7'], { maxLength: 2 })).toBe(2);
      expect(await kv.listRange('l')).toEqual(['6', '7']);
      expect(await kv.listPush('l', ['8'], { maxLength: 0 })).toBe(0);
      expect(await kv.listRange('l')).toEqual([]);
      await expect(kv.listPush('l', ['x'], { maxLength: -1 })).rejects.toBeInstanceOf(KeyValueStoreError);
    });

    it('sets and refreshes a list ttl', async () => {
      const kv = await open();
      await kv.listPush('l', ['a'], { ttlMs: 80 });
      const ttl = await kv.ttl('l');
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(80);
      await kv.listPush('kept', ['a'], { ttlMs: 80 });
      await sleep(50);
      await kv.listPush('kept', ['b'], { ttlMs: 10_000 });
      await sleep(150);
      expect(await kv.listRange('l')).toEqual([]);
      expect(await kv.listRange('kept')).toEqual(['a', 'b']);
    });

    it('rejects operations on a key of the wrong type', async () => {
      const kv = await open();
      await kv.set('s', 'x');
      await kv.listPush('l', ['x']);
      await expect(kv.listPush('s', ['a'])).rejects.toBeInstanceOf(KeyValueStoreError);
      await expect(kv.listRange('s')).rejects.toBeInstanceOf(KeyValueStoreError);
      await expect(kv.get('l')).rejects.toBeInstanceOf(KeyValueStoreError);
      await expect(kv.increment('l')).rejects.toBeInstanceOf(KeyValueStoreError);
      await expect(kv.listPush('s', [], { ttlMs: 10_000 })).rejects.toBeInstanceOf(KeyValueStoreError);
      await expect(kv.listPush('s', ['a'], { ttlMs: 10_000, maxLength: 1 })).rejects.toBeInstanceOf(
        KeyValueStoreError,
      );
      expect(await kv.get('s')).toBe('x');
      expect(await kv.ttl('s')).toBeNull();
    });

    it('rejects a ttl that is not positive', async () => {
      const kv = await open();
      await expect(kv.set('k', 'v', 0)).rejects.toBeInstanceOf(KeyValueStoreError);
      await expect(kv.setIfAbsent('k', 'v', -5)).rejects.toBeInstanceOf(KeyValueStoreError);
      expect(await kv.get('k')).toBeNull();
    });

    it('answers ping, and rejects calls once closed', async () => {
      const kv = await open();
      await expect(kv.ping()).resolves.toBeUndefined();
      await kv.close();
      await expect(kv.get('k')).rejects.toBeInstanceOf(KeyValueStoreError);
      await kv.close();
    });

    it('keeps the keys of stores with different prefixes apart', async () => {
      const a = await open();
      const b = await open();
      await a.set('shared', 'from a');
      await a.listPush('list', ['a']);
      await a.increment('count');
      expect(await b.get('shared')).toBeNull();
      expect(await b.listRange('list')).toEqual([]);
      expect(await b.increment('count')).toBe(1);
      expect(await b.setIfAbsent('shared', 'from b')).toBe(true);
      expect(await a.get('shared')).toBe('from a');
      expect(await b.delete('list')).toBe(0);
    });
  });
}
