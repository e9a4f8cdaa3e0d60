/**
 * How the newcomers of one boundary are prefilled: prompts that share a long prefix (a system
 * prompt, a thread's history) compute it once; the rest go in left-padded groups of similar length.
 */

/** Padded prompt tokens (rows × longest prompt) one batched prefill may take. */
export const PREFILL_BATCH_TOKENS = 2048;

/**
 * What one more forward pass costs beside its tokens, in prompt tokens: every pass reads all the
 * weights once (on the 2-core bench machine a pass costs about as much as 16-20 prompt tokens).
 */
export const PREFILL_PASS_TOKENS = 16;

/** Shared prefixes shorter than this are not worth a pass of their own. */
export const MIN_SHARED_PREFIX = 32;

/**
 * Splits the newcomers into prefill groups: sorted by length (so similar lengths share a group),
 * cut where the padded tokens plus PREFILL_PASS_TOKENS per pass are fewest (rows × longest prompt
 * within `budget`); a prompt longer than `chunk` is prefilled alone, in chunks. Groups come
 * shortest first. `batched` false: every prompt alone, in admission order.
 */
export function prefillGroups<T extends { promptLength: number }>(
  items: readonly T[],
  chunk: number,
  budget: number,
  batched: boolean,
): T[][] {
  if (!batched) return items.map((item) => [item]);
  const long = items.filter((item) => item.promptLength > chunk);
  const sorted = items
    .filter((item) => item.promptLength <= chunk)
    .sort((a, b) => a.promptLength - b.promptLength);
  // best[i]: the cheapest cost of the first i prompts; cut[i]: where its last group starts.
  const best = [0];
  const cut = [0];
  for (let i = 1; i <= sorted.length; i++) {
    const longest = (sorted[i - 1] as T).promptLength;
    best[i] = Infinity;
    for (let j = i - 1; j >= 0; j--) {
      const rows = i - j;
      if (rows > 1 && rows * longest > budget) break;
      const cost = (best[j] as number) + rows * longest + PREFILL_PASS_TOKENS;
      if (cost < (best[i] as number)) {
        best[i] = cost;
        cut[i] = j;
      }
    }
  }
  const groups: T[][] = [];
  for (let i = sorted.length; i > 0; i = cut[i] as number) groups.unshift(sorted.slice(cut[i], i));
  return [...groups, ...long.map((item) => [item])];
}

function commonPrefix(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

export interface SharedPrefix<T> {
  /** Tokens every member's prompt starts with (each member keeps at least one token after them). */
  length: number;
  members: T[];
}

/**
 * Finds groups of prompts that start with the same `minShared` or more tokens. Prompts are sorted
 * by their ids, so those sharing a prefix are neighbours; a group grows while adding the next
 * prompt does not lower what sharing saves ((members - 1) × prefix length).
 */
export function sharedPrefixes<T extends { promptIds: readonly number[] }>(
  items: readonly T[],
  minShared: number = MIN_SHARED_PREFIX,
): { shared: SharedPrefix<T>[]; rest: T[] } {
  const sorted = [...items].sort((a, b) => {
    const n = commonPrefix(a.promptIds, b.promptIds);
    return (a.promptIds[n] ?? -1) - (b.promptIds[n] ?? -1);
  });
  const shared: SharedPrefix<T>[] = [];
  const rest: T[] = [];
  let members: T[] = [];
  let length = 0;
  const close = () => {
    if (members.length > 1) shared.push({ length, members });
    else rest.push(...members);
    members = [];
    length = 0;
  };
  for (const item of sorted) {
    const last = members.at(-1);
    if (last === undefined) {
      members = [item];
      length = item.promptIds.length - 1;
      continue;
    }
    const next = Math.min(length, commonPrefix(last.promptIds, item.promptIds), item.promptIds.length - 1);
    const saving = members.length > 1 ? (members.length - 1) * length : 0;
    if (next >= minShared && members.length * next >= saving) {
      members.push(item);
      length = next;
    } else {
      close();
      members = [item];
      length = item.promptIds.length - 1;
    }
  }
  close();
  return { shared, rest };
}
