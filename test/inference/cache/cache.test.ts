import { afterEach, describe, expect, it } from 'vitest';
import { CachedEngine } from '../../../src/inference/cache/engine.js';
import { isDeterministic, responseCacheKey } from '../../../src/inference/cache/key.js';
import { Lru } from '../../../src/inference/cache/lru.js';
import { ResponseCache } from '../../../src/inference/cache/store.js';
import type { GenerateRequest } from '../../../src/inference/types.js';
import { MemoryKeyValueStore } from '../../../src/storage/kv/memory.js';
import { RedisKeyValueStore } from '../../../src/storage/kv/redis.js';
import type { KeyValueStore } from '../../../src/storage/kv/types.js';
import { redisUrlForTests, usePrefixes } from '../../helpers/redis.js';
import { collectText, ScriptedEngine, upstream } from '../../helpers/scripted-engine.js';

const greedy: GenerateRequest = { messages: [{ role: 'user', content: 'What is 2+2?' }], temperature: 0 };

const stores: KeyValueStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

function cachedOver(inner: ScriptedEngine, kv: KeyValueStore, maxEntries = 100) {
  const lookups: string[] = [];
  const cache = new ResponseCache({ kv, ttlMs: 60_000, maxEntries });
  const engine = new CachedEngine(inner, { cache, onLookup: (r) => lookups.push(r) });
  return { engine, cache, lookups };
}

describe('response cache keys', () => {
  it('caches only deterministic requests: temperature 0 or a fixed seed', () => {
    expect(isDeterministic(greedy)).toBe(true);
    expect(isDeterministic({ ...greedy, temperature: 0.7, seed: 42 })).toBe(true);
    expect(isDeterministic({ ...greedy, temperature: 0.7 })).toBe(false);
    expect(isDeterministic({ messages: greedy.messages })).toBe(false);
  });

  it('keys by model, every answer-changing parameter and the full prompt, not by user', () => {
    const key = responseCacheKey('m', greedy);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(responseCacheKey('m', { ...greedy, user: 'U1' })).toBe(key);
    for (const other of [
      responseCacheKey('other-model', greedy),
      responseCacheKey('m', { ...greedy, maxTokens: 5 }),
      responseCacheKey('m', { ...greedy, stop: ['\n'] }),
      responseCacheKey('m', { ...greedy, topP: 0.5 }),
      responseCacheKey('m', { ...greedy, messages: [{ role: 'system', content: 'x' }, ...greedy.messages] }),
      responseCacheKey('m', { ...greedy, messages: [{ role: 'user', content: 'What is 2+3?' }] }),
    ]) {
      expect(other).not.toBe(key);
    }
  });

  it('keys pictures by their bytes: the same question about another picture is another answer', () => {
    const about = (bytes: number[], videoTimeMs?: number) =>
      responseCacheKey('m', {
        ...greedy,
        messages: [
          {
            role: 'user',
            content: 'What is this?',
            images: [{ data: Uint8Array.from(bytes), mimeType: 'image/png', videoId: 'v', videoTimeMs }],
          },
        ],
      });
    expect(about([1, 2, 3])).toBe(about([1, 2, 3]));
    expect(about([1, 2, 4])).not.toBe(about([1, 2, 3]));
    expect(about([1, 2, 3], 500)).not.toBe(about([1, 2, 3], 0));
    expect(about([1, 2, 3])).not.toBe(
      responseCacheKey('m', { ...greedy, messages: [{ role: 'user', content: 'What is this?' }] }),
    );
  });
});

describe('Lru', () => {
  it('evicts the least recently used entry beyond its size and expires entries', () => {
    let now = 0;
    const lru = new Lru<number>({ maxEntries: 2, ttlMs: 100, now: () => now });
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('c', 3);
    expect(lru.get('b')).toBeUndefined();
    expect([lru.get('a'), lru.get('c'), lru.size]).toEqual([1, 3, 2]);
    now = 150;
    expect(lru.get('a')).toBeUndefined();
  });

  it('keeps the total weight under its bound, dropping the least recent first', () => {
    const lru = new Lru<string>({ maxEntries: 100, ttlMs: 1000, maxWeight: 10, weigh: (v) => v.length });
    lru.set('a', 'xxxx');
    lru.set('b', 'yyyy');
    lru.set('c', 'zzzz'); // 12 > 10: a goes
    expect([lru.get('a'), lru.get('b'), lru.get('c'), lru.weight]).toEqual([undefined, 'yyyy', 'zzzz', 8]);
    lru.set('huge', 'x'.repeat(11)); // heavier than the whole bound: not kept, nothing evicted
    expect([lru.get('huge'), lru.size, lru.weight]).toEqual([undefined, 2, 8]);
    lru.set('b', 'yy'); // replacing an entry re-weighs it
    expect(lru.weight).toBe(6);
  });
});

describe('CachedEngine on the memory store', () => {
  it('answers a repeated deterministic request from the cache, replayed as a Generation', async () => {
    const inner = new ScriptedEngine('local', [{ chunks: ['Fo', 'ur'] }]);
    const { engine, lookups } = cachedOver(inner, new MemoryKeyValueStore());
    const first = await collectText(engine.generate(greedy));
    const second = await collectText(engine.generate(greedy));
    expect(first.text).toBe('Four');
    expect(second).toMatchObject({
      text: 'Four',
      result: { text: 'Four', finishReason: 'stop', model: 'local-model', cached: true },
    });
    expect(first.result.cached).toBeUndefined();
    expect(inner.calls).toBe(1);
    expect(lookups).toEqual(['miss', 'hit']);
  });

  it('passes non-deterministic requests through without looking up', async () => {
    const inner = new ScriptedEngine('local', [{ chunks: ['a'] }, { chunks: ['b'] }]);
    const { engine, lookups } = cachedOver(inner, new MemoryKeyValueStore());
    const warm = { ...greedy, temperature: 0.8 };
    expect((await collectText(engine.generate(warm))).text).toBe('a');
    expect((await collectText(engine.generate(warm))).text).toBe('b');
    expect(lookups).toEqual([]);
  });

  it('never caches an error', async () => {
    const inner = new ScriptedEngine('local', [{ chunks: [], error: upstream() }, { chunks: ['fine'] }]);
    const { engine } = cachedOver(inner, new MemoryKeyValueStore());
    await expect(collectText(engine.generate(greedy))).rejects.toMatchObject({ code: 'upstream' });
    expect((await collectText(engine.generate(greedy))).text).toBe('fine');
    expect((await collectText(engine.generate(greedy))).text).toBe('fine');
    expect(inner.calls).toBe(2);
  });

  it('never caches an answer cut short by an abort', async () => {
    const inner = new ScriptedEngine('local', [
      { chunks: ['a', 'b', 'c', 'd'], delayMs: 25 },
      { chunks: ['whole'] },
    ]);
    const kv = new MemoryKeyValueStore();
    const { engine } = cachedOver(inner, kv);
    const controller = new AbortController();
    const generation = engine.generate(greedy, controller.signal);
    setTimeout(() => controller.abort(), 40);
    expect((await generation.result).finishReason).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await collectText(engine.generate(greedy))).text).toBe('whole');
    expect(inner.calls).toBe(2);
  });

  it('stops the inner generation when the consumer stops iterating a miss', async () => {
    const inner = new ScriptedEngine('local', [
      { chunks: ['a', 'b', 'c'], delayMs: 10 },
      { chunks: ['again'] },
    ]);
    const { engine } = cachedOver(inner, new MemoryKeyValueStore());
    for await (const _ of engine.generate(greedy)) break;
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(inner.aborted).toBe(1);
    expect((await collectText(engine.generate(greedy))).text).toBe('again');
  });

  it('keeps the LRU bounded: an evicted entry is found again in the KV store', async () => {
    const inner = new ScriptedEngine('local', [{ chunks: ['one'] }, { chunks: ['two'] }]);
    const kv = new MemoryKeyValueStore();
    const { engine, lookups } = cachedOver(inner, kv, 1);
    const other = { ...greedy, messages: [{ role: 'user' as const, content: 'other' }] };
    await collectText(engine.generate(greedy));
    await collectText(engine.generate(other)); // evicts `greedy` from the LRU
    expect((await collectText(engine.generate(greedy))).text).toBe('one');
    expect(inner.calls).toBe(2);
    expect(lookups).toEqual(['miss', 'miss', 'hit']);
  });

  it('treats a failing store as a miss and still answers', async () => {
    const kv = new MemoryKeyValueStore();
    await kv.close();
    const inner = new ScriptedEngine('local', [{ chunks: ['still here'] }]);
    const { engine } = cachedOver(inner, kv, 0);
    expect((await collectText(engine.generate(greedy))).text).toBe('still here');
  });
});

describe('CachedEngine on Redis', () => {
  const url = redisUrlForTests();
  const prefix = usePrefixes(url);

  it('shares answers between replicas through Redis, with the TTL set', async () => {
    const shared = prefix();
    const a = new RedisKeyValueStore({ url, prefix: shared });
    const b = new RedisKeyValueStore({ url, prefix: shared });
    stores.push(a, b);
    const innerA = new ScriptedEngine('local', [{ chunks: ['from A'] }]);
    const innerB = new ScriptedEngine('local', [{ chunks: ['from B'] }]);
    const replicaA = cachedOver(innerA, a);
    const replicaB = cachedOver(innerB, b);
    expect((await collectText(replicaA.engine.generate(greedy))).text).toBe('from A');
    expect((await collectText(replicaB.engine.generate(greedy))).text).toBe('from A');
    expect([innerA.calls, innerB.calls]).toEqual([1, 0]);
    expect(replicaB.lookups).toEqual(['hit']);
    const key = `response-cache:${replicaA.cache.keyOf('local-model', greedy)}`;
    const ttl = await b.ttl(key);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});
