import { describe, expect, it } from 'vitest';
import { prefillGroups } from '../../../src/inference/batching/prefill.js';

const items = (...lengths: number[]) => lengths.map((promptLength, id) => ({ id, promptLength }));
const ids = (groups: { id: number }[][]) => groups.map((g) => g.map((x) => x.id));

describe('prefillGroups', () => {
  it('groups prompts shortest first while rows × longest prompt fits the budget', () => {
    expect(ids(prefillGroups(items(10, 20, 30, 40), 512, 100, true))).toEqual([[0, 1, 2], [3]]);
    expect(ids(prefillGroups(items(10, 10, 10, 10), 512, 40, true))).toEqual([[0, 1, 2, 3]]);
    // Similar lengths end up together: little of a group is padding.
    expect(ids(prefillGroups(items(200, 20, 210, 25, 30), 512, 450, true))).toEqual([
      [1, 3, 4],
      [0, 2],
    ]);
  });

  it('prefills a prompt longer than a chunk alone (chunked), and everything alone when not batched', () => {
    expect(ids(prefillGroups(items(10, 600, 10, 10), 512, 4096, true))).toEqual([[0, 2, 3], [1]]);
    expect(ids(prefillGroups(items(10, 10, 10), 512, 4096, false))).toEqual([[0], [1], [2]]);
  });

  it('always gives a prompt a group, even one past the budget on its own', () => {
    expect(ids(prefillGroups(items(300, 300), 512, 200, true))).toEqual([[0], [1]]);
    expect(prefillGroups([], 512, 200, true)).toEqual([]);
  });
});
