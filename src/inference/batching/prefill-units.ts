/** Runs the newcomers of one boundary through prefill, unit by unit (see prefill-plan.ts). */

import { EngineError } from '../errors.js';
import { KvCache } from '../onnx/kv-cache.js';
import { prefillVision } from '../vision/prefill.js';
import type { VisionPrompt } from '../vision/prompt.js';
import type { DecodeDeps } from './decode-types.js';
import { prefillAlone, prefillPadded, prefillShared, prefillSharedApart } from './prefill.js';
import { PREFILL_BATCH_TOKENS, prefillGroups, sharedPrefixes } from './prefill-plan.js';
import { prefillStaircase } from './prefill-staircase.js';
import type { Row } from './row.js';

/** Newcomers prefilled in one go; with `prefixLength`, their shared prefix is computed once. */
export interface PrefillUnit {
  rows: Row[];
  prefixLength?: number;
  /** A unit that brings its own prefill (a prompt resumed from the prefix cache), and its token count. */
  run?: (deps: DecodeDeps) => Promise<UnitOutcome>;
  tokens?: number;
}

/** Prompt tokens a unit's prefill computes, padding included: the order units go in. */
export function unitCost(u: PrefillUnit): number {
  if (u.tokens !== undefined) return u.tokens;
  const prefix = u.prefixLength ?? 0;
  return prefix + u.rows.length * Math.max(...u.rows.map((r) => r.promptLength - prefix));
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
  // Rows with pictures are prefilled alone (their embeddings and positions are their own).
  const pictures = admitted.filter((row) => row.job.vision !== undefined).map((row) => ({ rows: [row] }));
  if (pictures.length > 0) {
    const rest = admitted.filter((row) => row.job.vision === undefined);
    return [...planUnits(rest, batched), ...pictures];
  }
  if (!batched) return prefillGroups(admitted, chunk, PREFILL_BATCH_TOKENS, false).map((rows) => ({ rows }));
  const { shared, rest } = sharedPrefixes(admitted.map((row) => ({ row, promptIds: row.job.promptIds })));
  const units: PrefillUnit[] = shared.map((s) => ({
    rows: s.members.map((m) => m.row),
    prefixLength: s.length,
  }));
  // Groups of similar lengths: padded into one pass, or in unpadded staircase passes (states).
  const groups = prefillGroups(
    rest.map((r) => r.row),
    chunk,
    PREFILL_BATCH_TOKENS,
    true,
  );
  units.push(...groups.map((rows) => ({ rows })));
  return units.sort((a, b) => unitCost(a) - unitCost(b));
}

/** A cache a prefill filled: its row r holds the unit's row `members[r]`, real positions ending at `ends[r]`. */
export interface PrefilledPart {
  cache: KvCache;
  members: number[];
  ends?: number[];
}

/** One unit's prefill: its caches (the caller owns them) and each of the unit's rows' logits. */
export interface UnitOutcome {
  parts: PrefilledPart[];
  logits: Float32Array[];
  runMs: number;
}

/** A row with pictures, alone in a batch-1 cache (vision/prefill.ts). */
async function prefillPictures(deps: DecodeDeps, prompt: VisionPrompt, chunk: number): Promise<UnitOutcome> {
  if (deps.vision === undefined) throw new EngineError('bad_request', 'This model does not take images.');
  const cache = new KvCache(deps.spec, 1);
  try {
    const done = await prefillVision(deps.session, deps.spec, deps.vision, cache, prompt, chunk);
    return { parts: [{ cache, members: [0] }], logits: [done.logits], runMs: done.runMs };
  } catch (error) {
    cache.dispose();
    throw error;
  }
}

/**
 * One unit's prefill. On a graph with states nothing is padded: a shared prefix's members continue
 * each in a cache of its own, a group goes in staircase passes (prefill-staircase.ts).
 */
export async function prefillUnit(deps: DecodeDeps, unit: PrefillUnit): Promise<UnitOutcome> {
  if (unit.run !== undefined) return unit.run(deps);
  const first = unit.rows[0] as Row;
  const chunk = first.job.params.prefillChunk;
  const prompts = unit.rows.map((row) => row.job.promptIds);
  if (first.job.vision !== undefined) return prefillPictures(deps, first.job.vision, chunk);
  if (unit.prefixLength !== undefined && deps.spec.states.length > 0) {
    const done = await prefillSharedApart(deps, prompts, unit.prefixLength, chunk);
    return { ...done, parts: done.caches.map((cache, i) => ({ cache, members: [i] })) };
  }
  if (unit.rows.length > 1 && deps.spec.states.length > 0) return prefillStaircase(deps, prompts);
  const members = unit.rows.map((_, i) => i);
  if (unit.prefixLength !== undefined) {
    const done = await prefillShared(deps, prompts, unit.prefixLength, chunk);
    return { ...done, parts: [{ cache: done.cache, members, ends: done.lengths }] };
  }
  const cache = new KvCache(deps.spec, unit.rows.length);
  try {
    const done =
      unit.rows.length === 1
        ? await prefillAlone(deps, cache, first.job.promptIds, chunk)
        : await prefillPadded(deps, cache, prompts);
    return { ...done, parts: [{ cache, members }] };
  } catch (error) {
    cache.dispose();
    throw error;
  }
}
