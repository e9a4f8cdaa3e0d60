import { describe, expect, it } from 'vitest';
import {
  PREFILL_PASS_TOKENS,
  prefillGroups,
  sharedPrefixes,
} from '../../../src/inference/batching/prefill-plan.js';

const items = (...lengths: number[]) => lengths.map((promptLength, id) => ({ id, promptLength }));
const ids = (groups: { id: number }[][]) => groups.map((g) => g.map((x) => x.id));

describe('prefillGroups', () => {
  it('cuts the length-sorted prompts where padded tokens plus a pass overhead are fewest', () => {
    expect(PREFILL_PASS_TOKENS).toBe(16);
    // [10,20] + [30,40] pads 40 + 80 = 120 tokens; [10,20,30] + [40] pads 90 + 40 = 130.
    expect(ids(prefillGroups(items(10, 20, 30, 40), 512, 100, true))).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(ids(prefillGroups(items(10, 10, 10, 10), 512, 40, true))).toEqual([[0, 1, 2, 3]]);
    // Similar lengths end up together: little of a group is padding.
    expect(ids(prefillGroups(items(200, 20, 210, 25, 30), 512, 450, true))).toEqual([
      [1, 3, 4],
      [0, 2],
    ]);
    // The bench's short and medium prompts: 523 padded tokens in four passes instead of 12 × 73 = 876 in one.
    const bench = items(28, 34, 34, 31, 27, 28, 68, 73, 72, 56, 28, 34);
    expect(prefillGroups(bench, 512, 2048, true).map((g) => g.map((x) => x.promptLength))).toEqual([
      [27, 28, 28, 28],
      [31, 34, 34, 34],
      [56],
      [68, 72, 73],
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

describe('sharedPrefixes', () => {
  const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
  const prompt = (id: string, promptIds: number[]) => ({ id, promptIds });

  it('groups prompts that start with the same long prefix, each keeping a token of its own', () => {
    const base = range(100, 40);
    const found = sharedPrefixes([
      prompt('a', [...base, 1, 2, 3]),
      prompt('short', [5, 6, 7]),
      prompt('b', [...base, 9]),
      prompt('c', [...base, 1, 2, 8]),
    ]);
    expect(found.shared).toHaveLength(1);
    expect(found.shared[0]?.length).toBe(40);
    expect(found.shared[0]?.members.map((m) => m.id).sort()).toEqual(['a', 'b', 'c']);
    expect(found.rest.map((r) => r.id)).toEqual(['short']);
  });

  it('leaves prompts alone when what they share is shorter than the minimum', () => {
    const found = sharedPrefixes([prompt('a', [...range(1, 20), 7]), prompt('b', [...range(1, 20), 8])], 32);
    expect(found.shared).toEqual([]);
    expect(found.rest).toHaveLength(2);
  });

  it('keeps a prefix one token short of an identical prompt, and does not let a weak match dilute a group', () => {
    const base = range(1, 50);
    const same = sharedPrefixes([prompt('a', base), prompt('b', base)]);
    expect(same.shared[0]?.length).toBe(49);
    // Three share 100 tokens; a fourth shares only 40 of them: adding it would save less.
    const long = range(1, 100);
    const found = sharedPrefixes([
      prompt('a', [...long, 1]),
      prompt('b', [...long, 2]),
      prompt('c', [...long, 3]),
      prompt('d', [...long.slice(0, 40), 999]),
    ]);
    expect(found.shared.map((s) => [s.length, s.members.map((m) => m.id).sort()])).toEqual([
      [100, ['a', 'b', 'c']],
    ]);
    expect(found.rest.map((r) => r.id)).toEqual(['d']);
  });
});
