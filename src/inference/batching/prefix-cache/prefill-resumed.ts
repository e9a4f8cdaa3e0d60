/**
 * Several prompts resumed from their cached prefixes in one forward pass (graphs without states):
 * the prefixes left-padded to the longest in the past, the rest of each prompt right-padded after
 * them (mask 0 on both paddings; positions continue each row's own prefix; each row's logits read
 * at its own last token). Row r's real positions end at `ends[r]` (prefix end + its own rest).
 */
import { forward } from '../../onnx/forward.js';
import type { KvCache } from '../../onnx/kv-cache.js';
import type { DecodeDeps } from '../decode-types.js';
import type { UnitOutcome } from '../prefill-units.js';

export async function prefillResumed(
  deps: DecodeDeps,
  cache: KvCache,
  prompts: readonly (readonly number[])[],
  cached: readonly number[],
): Promise<UnitOutcome> {
  try {
    const past = cache.length;
    const rests = prompts.map((p, r) => p.slice(cached[r]));
    const seq = Math.max(...rests.map((s) => s.length));
    const ids = new Array<number>(prompts.length * seq).fill(0);
    const positions = new Array<number>(prompts.length * seq).fill(0);
    const mask = new Array<number>(prompts.length * (past + seq)).fill(0);
    for (const [r, rest] of rests.entries()) {
      const from = cached[r] as number;
      const row = r * (past + seq);
      mask.fill(1, row + past - from, row + past + rest.length);
      for (let i = 0; i < seq; i++) {
        ids[r * seq + i] = rest[i] ?? 0;
        positions[r * seq + i] = from + i;
      }
    }
    const step = await forward(deps.session, deps.spec, cache, {
      ids,
      positions,
      mask,
      seqLength: seq,
      logitsAt: rests.map((s) => s.length - 1),
    });
    const vocab = step.vocabSize;
    return {
      parts: [{ cache, members: prompts.map((_, r) => r), ends: rests.map((s) => past + s.length) }],
      logits: prompts.map((_, r) => step.logits.subarray(r * vocab, (r + 1) * vocab)),
      runMs: step.runMs,
    };
  } catch (error) {
    cache.dispose();
    throw error;
  }
}
