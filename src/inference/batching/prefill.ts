import { EngineError } from '../errors.js';
import type { DecodeDeps } from '../onnx/decode-loop.js';
import { forward } from '../onnx/forward.js';
import type { KvCache } from '../onnx/kv-cache.js';

/** Padded prompt tokens (rows × longest prompt) one batched prefill may take. */
export const PREFILL_BATCH_TOKENS = 2048;

/**
 * Splits the newcomers of one boundary into prefill groups: shortest prompts first (so similar
 * lengths share a group and little is padding), prompts up to `chunk` tokens together while rows ×
 * longest prompt stays within `budget`; a longer prompt is prefilled alone, in chunks. `batched`
 * false: every prompt alone, in admission order.
 */
export function prefillGroups<T extends { promptLength: number }>(
  items: readonly T[],
  chunk: number,
  budget: number,
  batched: boolean,
): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let longest = 0;
  const close = () => {
    if (current.length > 0) groups.push(current);
    current = [];
    longest = 0;
  };
  const ordered = batched ? [...items].sort((a, b) => a.promptLength - b.promptLength) : items;
  for (const item of ordered) {
    if (!batched || item.promptLength > chunk) {
      close();
      groups.push([item]);
      continue;
    }
    const next = Math.max(longest, item.promptLength);
    if (current.length > 0 && (current.length + 1) * next > budget) close();
    current.push(item);
    longest = Math.max(longest, item.promptLength);
  }
  close();
  return groups;
}

export interface PrefillOutcome {
  /** The last position's logits of each prompt. */
  logits: Float32Array[];
  /** Milliseconds inside session.run. */
  runMs: number;
}

/** One prompt into a batch-1 cache, in chunks of `chunk` tokens. */
export async function prefillAlone(
  deps: DecodeDeps,
  cache: KvCache,
  ids: readonly number[],
  chunk: number,
): Promise<PrefillOutcome> {
  let logits: Float32Array | undefined;
  let runMs = 0;
  for (let start = 0; start < ids.length; start += chunk) {
    const part = ids.slice(start, start + chunk);
    const step = await forward(deps.session, deps.spec, cache, {
      ids: part,
      positions: part.map((_, i) => start + i),
      seqLength: part.length,
    });
    runMs += step.runMs;
    logits = step.logits;
  }
  if (logits === undefined) throw new EngineError('bad_request', 'The prompt is empty.');
  return { logits: [logits], runMs };
}

/**
 * Several prompts in one forward pass, left-padded to the longest (mask 0 and position 0 on the
 * padding; each prompt's own positions from 0), into a cache of batch `prompts.length`.
 */
export async function prefillPadded(
  deps: DecodeDeps,
  cache: KvCache,
  prompts: readonly (readonly number[])[],
): Promise<PrefillOutcome> {
  const seq = Math.max(...prompts.map((p) => p.length));
  const ids = new Array<number>(prompts.length * seq).fill(0);
  const positions = new Array<number>(prompts.length * seq).fill(0);
  const mask = new Array<number>(prompts.length * seq).fill(0);
  for (const [r, prompt] of prompts.entries()) {
    const pad = seq - prompt.length;
    for (const [i, id] of prompt.entries()) {
      const at = r * seq + pad + i;
      ids[at] = id;
      positions[at] = i;
      mask[at] = 1;
    }
  }
  const step = await forward(deps.session, deps.spec, cache, { ids, positions, mask, seqLength: seq });
  const vocab = step.vocabSize;
  const logits = prompts.map((_, r) => step.logits.subarray(r * vocab, (r + 1) * vocab));
  return { logits, runMs: step.runMs };
}
