/** Runs the newcomers of one boundary through prefill, unit by unit (see prefill-plan.ts). */

import { KvCache } from '../onnx/kv-cache.js';
import type { DecodeDeps } from './decode-types.js';
import { type PrefillOutcome, prefillAlone, prefillPadded, prefillShared } from './prefill.js';
import { PREFILL_BATCH_TOKENS, prefillGroups, sharedPrefixes } from './prefill-plan.js';
import type { Row } from './row.js';

/** Newcomers prefilled in one go; with `prefixLength`, their shared prefix is computed once. */
export interface PrefillUnit {
  rows: Row[];
  prefixLength?: number;
}

/**
 * Prefill units of one boundary: prompts sharing a long prefix together (the prefix computed
 * once), the rest in groups of similar length; cheapest first, so short prompts see their first
 * token soonest. `batched` false (the graph runs one row at a time): every prompt alone, in order.
 */
export function planUnits(admitted: Row[], batched: boolean): PrefillUnit[] {
  const first = admitted[0];
  if (first === undefined) return [];
  const chunk = first.job.params.prefillChunk;
  if (!batched) return prefillGroups(admitted, chunk, PREFILL_BATCH_TOKENS, false).map((rows) => ({ rows }));
  const { shared, rest } = sharedPrefixes(admitted.map((row) => ({ row, promptIds: row.job.promptIds })));
  const units: PrefillUnit[] = shared.map((s) => ({
    rows: s.members.map((m) => m.row),
    prefixLength: s.length,
  }));
  const groups = prefillGroups(
    rest.map((r) => r.row),
    chunk,
    PREFILL_BATCH_TOKENS,
    true,
  );
  units.push(...groups.map((rows) => ({ rows })));
  const cost = (u: PrefillUnit) => {
    const prefix = u.prefixLength ?? 0;
    return prefix + u.rows.length * Math.max(...u.rows.map((r) => r.promptLength - prefix));
  };
  return units.sort((a, b) => cost(a) - cost(b));
}

/** One unit's prefill: its cache (the caller owns it), each row's logits and where its positions end. */
export async function prefillUnit(
  deps: DecodeDeps,
  unit: PrefillUnit,
): Promise<PrefillOutcome & { cache: KvCache; ends?: number[] }> {
  const first = unit.rows[0] as Row;
  const chunk = first.job.params.prefillChunk;
  if (unit.prefixLength !== undefined) {
    const done = await prefillShared(
      deps,
      unit.rows.map((row) => row.job.promptIds),
      unit.prefixLength,
      chunk,
    );
    return { ...done, ends: done.lengths };
  }
  const cache = new KvCache(deps.spec, unit.rows.length);
  try {
    const done =
      unit.rows.length === 1
        ? await prefillAlone(deps, cache, first.job.promptIds, chunk)
        : await prefillPadded(
            deps,
            cache,
            unit.rows.map((row) => row.job.promptIds),
          );
    return { ...done, cache };
  } catch (error) {
    cache.dispose();
    throw error;
  }
}
