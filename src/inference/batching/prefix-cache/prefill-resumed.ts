/**
 * Several prompts resumed from their cached prefixes in one forward pass (graphs without states):
 * the prefixes left-padded to the longest in `cache`, the rests after them (prefillRests).
 */
import type { KvCache } from '../../onnx/kv-cache.js';
import type { DecodeDeps } from '../decode-types.js';
import { prefillRests } from '../prefill.js';
import type { UnitOutcome } from '../prefill-units.js';

export async function prefillResumed(
  deps: DecodeDeps,
  cache: KvCache,
  prompts: readonly (readonly number[])[],
  cached: readonly number[],
): Promise<UnitOutcome> {
  try {
    const done = await prefillRests(deps, cache, prompts, cached);
    return {
      parts: [{ cache, members: prompts.map((_, r) => r), ends: done.ends }],
      logits: done.logits,
      runMs: done.runMs,
    };
  } catch (error) {
    cache.dispose();
    throw error;
  }
}
