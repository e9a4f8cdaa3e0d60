import { describe, expect, it } from 'vitest';
import { createKeyValueStore } from '../../src/storage/kv/factory.js';
import { MemoryKeyValueStore } from '../../src/storage/kv/memory.js';
import { describeKeyValueStoreConformance } from './kv-conformance.js';

let stores = 0;
describeKeyValueStoreConformance('MemoryKeyValueStore', async () => {
  stores += 1;
  return new MemoryKeyValueStore({ prefix: `test${stores}:` });
});

describe('MemoryKeyValueStore', () => {
  it('expires keys on the injected clock', async () => {
    let now = 1_000;
    const kv = new MemoryKeyValueStore({ now: () => now, sweepIntervalMs: 10 });
    await kv.set('k', 'v', 500);
    expect(await kv.ttl('k')).toBe(500);
    now += 499;
    expect(await kv.get('k')).toBe('v');
    now += 1;
    expect(await kv.get('k')).toBeNull();
    await kv.close();
  });

  it('is what the factory builds without a Redis URL', async () => {
    const kv = createKeyValueStore({ prefix: 'x:' });
    expect(kv.kind).toBe('memory');
    expect(kv).toBeInstanceOf(MemoryKeyValueStore);
    await kv.close();
  });
});
