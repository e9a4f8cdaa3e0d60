import { describe, expect, it } from 'vitest';
import { KvBufferPool } from '../../../src/inference/batching/kv-pool.js';

describe('KvBufferPool', () => {
  it('hands back the smallest pooled buffer that fits, as a view of the size asked', () => {
    const pool = new KvBufferPool();
    pool.maxBytes = 1 << 20;
    const small = pool.take('float32', 100);
    const large = pool.take('float32', 400);
    expect(small.length).toBe(100);
    pool.give(large);
    pool.give(small);
    expect(pool.heldBytes).toBe(2000);
    const fits = pool.take('float32', 90);
    expect(fits.length).toBe(90);
    expect(fits.buffer).toBe(small.buffer);
    const next = pool.take('float32', 300);
    expect(next.buffer).toBe(large.buffer);
    expect(pool.heldBytes).toBe(0);
    // A view goes back whole: its buffer serves the full size again.
    pool.give(next);
    expect(pool.take('float32', 400).buffer).toBe(large.buffer);
  });

  it('keeps element types apart, ignores buffers it did not make, and drops the smallest past its cap', () => {
    const pool = new KvBufferPool();
    pool.maxBytes = 1000;
    const half = pool.take('float16', 100);
    pool.give(half);
    expect(pool.take('float32', 10).buffer).not.toBe(half.buffer);
    pool.give(new Float32Array(10));
    expect(pool.heldBytes).toBe(200);
    const a = pool.take('float32', 200);
    const b = pool.take('float32', 50);
    pool.give(a);
    pool.give(b);
    // 200 + 800 + 200 bytes > 1000: the smallest go first.
    expect(pool.heldBytes).toBe(1000);
    expect(pool.take('float32', 200).buffer).toBe(a.buffer);
    expect(pool.take('float16', 100).buffer).toBe(half.buffer);
    expect(pool.take('float32', 0).length).toBe(0);
  });
});
