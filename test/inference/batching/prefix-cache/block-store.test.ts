import { describe, expect, it } from 'vitest';
import {
  type BlockData,
  BlockStore,
  blockKey,
} from '../../../../src/inference/batching/prefix-cache/block-store.js';

/** A block of `floats` float32 values (4 bytes each). */
const block =
  (floats: number): (() => BlockData) =>
  () => ({ kv: new Map([['k', new Float32Array(floats)]]) });

describe('BlockStore', () => {
  it('keys a block by its exact ids and finds a chain from the root', () => {
    const store = new BlockStore(2, 1_000);
    const ids = [5, 6, 7, 8];
    const a = store.insert(undefined, blockKey(ids, 0, 2), block(1));
    const b = store.insert(a, blockKey(ids, 2, 2), block(1));
    expect(blockKey(ids, 0, 2)).not.toBe(blockKey([56, 7], 0, 2));
    expect(store.child(undefined, '5,6,')).toBe(a);
    expect(store.child(a, '7,8,')).toBe(b);
    expect(store.child(undefined, '7,8,')).toBeUndefined();
    expect(b?.depth).toBe(2);
    // The same block again is the same node: nothing added.
    expect(store.insert(undefined, '5,6,', block(1))).toBe(a);
    expect(store.counters()).toEqual({ blocks: 2, bytes: 8, evictions: 0 });
  });

  it('evicts least recently used leaves first, never a parent before its children', () => {
    const store = new BlockStore(1, 40); // room for 10 blocks of one float
    const root = store.insert(undefined, 'r', block(1));
    const chainA: ReturnType<BlockStore['insert']>[] = [];
    let parent = root;
    for (let i = 0; i < 4; i++) {
      parent = store.insert(parent, `a${i}`, block(1));
      chainA.push(parent);
    }
    parent = root;
    const chainB: ReturnType<BlockStore['insert']>[] = [];
    for (let i = 0; i < 5; i++) {
      parent = store.insert(parent, `b${i}`, block(1));
      chainB.push(parent);
    }
    expect(store.counters().blocks).toBe(10);
    // Chain A was used last: chain B's tail goes first, leaf by leaf.
    store.touch(chainA[3] as NonNullable<(typeof chainA)[number]>);
    store.insert(chainA[3], 'a4', block(1));
    store.insert(chainA[3], 'a4x', block(1));
    expect(store.counters()).toEqual({ blocks: 10, bytes: 40, evictions: 2 });
    expect(chainB[4]?.evicted).toBe(true);
    expect(chainB[3]?.evicted).toBe(true);
    expect(chainB[2]?.evicted).toBe(false);
    expect(root?.evicted).toBe(false);
    // Nothing hangs under an evicted block.
    expect(store.insert(chainB[4], 'late', block(1))).toBeUndefined();
  });

  it('counts states in the budget and drops everything on clear', () => {
    const store = new BlockStore(1, 100);
    const node = store.insert(undefined, 'x', block(5));
    if (node === undefined) throw new Error('not inserted');
    store.setStates(node, new Map([['s', new Float32Array(10)]]));
    expect(store.counters().bytes).toBe(60);
    store.setStates(node, undefined);
    expect(store.counters().bytes).toBe(20);
    store.insert(node, 'y', block(5));
    store.clear();
    expect(store.counters()).toMatchObject({ blocks: 0, bytes: 0 });
    expect(node.evicted).toBe(true);
  });

  it('refuses a block larger than the whole budget', () => {
    const store = new BlockStore(1, 10);
    expect(store.insert(undefined, 'big', block(100))).toBeUndefined();
    expect(store.counters()).toMatchObject({ blocks: 0, bytes: 0, evictions: 1 });
  });
});
