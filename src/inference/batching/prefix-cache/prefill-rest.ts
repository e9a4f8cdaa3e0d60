/** One prompt prefilled after its cached prefix, alone, stopping at a block boundary for hybrids. */
import type { KvCache } from '../../onnx/kv-cache.js';
import type { DecodeDeps } from '../decode-types.js';
import { prefillAlone } from '../prefill.js';
import type { UnitOutcome } from '../prefill-units.js';
import type { KvData } from './block-store.js';
import { hostMap, statesOf } from './kv-blocks.js';

export interface RestOutcome extends UnitOutcome {
  /** A hybrid graph's states after `at` prompt tokens (a block boundary), to keep with that block. */
  boundary?: { at: number; states: Map<string, KvData> };
}

/**
 * Prefills `ids` from position `from` into `cache` (which holds the first `from` positions). On a
 * graph with states, the pass stops at `boundary` (a block boundary after `from`, before the
 * prompt's end) to copy the states there: the only place a later prompt can resume from.
 */
export async function prefillRest(
  deps: DecodeDeps,
  cache: KvCache,
  ids: readonly number[],
  from: number,
  boundary: number,
  chunk: number,
): Promise<RestOutcome> {
  try {
    let runMs = 0;
    let start = from;
    let kept: RestOutcome['boundary'];
    if (deps.spec.states.length > 0 && boundary > from && boundary < ids.length) {
      const head = await prefillAlone(deps, cache, ids.slice(from, boundary), chunk, from);
      runMs += head.runMs;
      const data = await hostMap(cache, deps.spec);
      const states = statesOf(deps.spec, {
        data,
        batch: 1,
        row: 0,
        width: boundary,
        end: boundary,
        length: boundary,
      });
      if (states !== undefined) kept = { at: boundary, states };
      start = boundary;
    }
    const rest = await prefillAlone(deps, cache, ids.slice(start), chunk, start);
    return {
      parts: [{ cache, members: [0] }],
      logits: rest.logits,
      runMs: runMs + rest.runMs,
      boundary: kept,
    };
  } catch (error) {
    cache.dispose();
    throw error;
  }
}
