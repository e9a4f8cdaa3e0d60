/**
 * Several prompts prefilled together without padding, for graphs whose conv / recurrent states
 * padding would corrupt. All rows advance together by the shortest remaining prompt's length, so
 * every pass is rectangular; the rows that end at a step leave the pass then (their cache split off),
 * the others go on. Three prompts of 40, 60 and 90 tokens take passes of 3 × 40, 2 × 20 and 1 × 30
 * tokens: each token computed once, with no padding, in as few passes as there are distinct lengths.
 */

import { forward } from '../onnx/forward.js';
import { KvCache } from '../onnx/kv-cache.js';
import type { DecodeDeps } from './decode-types.js';

export interface StaircasePart {
  /** The rows that ended at the same step, in one cache. */
  cache: KvCache;
  /** Indices of those rows in `prompts`. */
  members: number[];
}

export interface StaircaseOutcome {
  parts: StaircasePart[];
  /** Per prompt, its last position's logits. */
  logits: Float32Array[];
  runMs: number;
}

export async function prefillStaircase(
  deps: DecodeDeps,
  prompts: readonly (readonly number[])[],
): Promise<StaircaseOutcome> {
  // Shortest first: the rows that end first are the first ones, so each split keeps a suffix.
  let active = prompts.map((_, i) => i).sort((a, b) => (prompts[a]?.length ?? 0) - (prompts[b]?.length ?? 0));
  let cache = new KvCache(deps.spec, active.length);
  const parts: StaircasePart[] = [];
  const logits: Float32Array[] = new Array(prompts.length);
  let runMs = 0;
  let done = 0;
  try {
    while (active.length > 0) {
      const next = prompts[active[0] as number]?.length ?? 0;
      const ids: number[] = [];
      const positions: number[] = [];
      for (const member of active) {
        const prompt = prompts[member] ?? [];
        for (let p = done; p < next; p++) {
          ids.push(prompt[p] as number);
          positions.push(p);
        }
      }
      const step = await forward(deps.session, deps.spec, cache, { ids, positions, seqLength: next - done });
      runMs += step.runMs;
      const vocab = step.vocabSize;
      for (const [r, member] of active.entries())
        logits[member] = step.logits.slice(r * vocab, (r + 1) * vocab);
      done = next;
      const ending = active.filter((member) => (prompts[member]?.length ?? 0) === done).length;
      if (ending === active.length) {
        parts.push({ cache, members: active });
        break;
      }
      const [ended, rest] = await cache.split(ending);
      parts.push({ cache: ended, members: active.slice(0, ending) });
      cache.dispose();
      cache = rest;
      active = active.slice(ending);
    }
    return { parts, logits, runMs };
  } catch (error) {
    cache.dispose();
    for (const part of parts) part.cache.dispose();
    throw error;
  }
}
