import { EngineError } from '../errors.js';
import { forward } from '../onnx/forward.js';
import { KvCache } from '../onnx/kv-cache.js';
import type { DecodeDeps } from './decode-types.js';

export interface PrefillOutcome {
  /** The last position's logits of each prompt. */
  logits: Float32Array[];
  /** Milliseconds inside session.run. */
  runMs: number;
}

/** One prompt into a batch-1 cache, in chunks of `chunk` tokens; its positions start at `offset`. */
export async function prefillAlone(
  deps: DecodeDeps,
  cache: KvCache,
  ids: readonly number[],
  chunk: number,
  offset = 0,
): Promise<PrefillOutcome> {
  let logits: Float32Array | undefined;
  let runMs = 0;
  for (let start = 0; start < ids.length; start += chunk) {
    const part = ids.slice(start, start + chunk);
    const step = await forward(deps.session, deps.spec, cache, {
      ids: part,
      positions: part.map((_, i) => offset + start + i),
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

export interface SharedOutcome extends PrefillOutcome {
  /** The members' cache: row r holds the prefix then its own suffix, right-padded. */
  cache: KvCache;
  /** Per member: its real positions (they start at 0 and end at `length`). */
  lengths: number[];
}

/**
 * Prompts that start with the same `prefixLength` tokens: the prefix is prefilled once (alone,
 * in chunks), its cache repeated for every member, then the members' own suffixes in one pass,
 * right-padded after the shared prefix (mask 0 on the padding; each row's logits read at its own
 * last token).
 */
export async function prefillShared(
  deps: DecodeDeps,
  prompts: readonly (readonly number[])[],
  prefixLength: number,
  chunk: number,
): Promise<SharedOutcome> {
  const first = prompts[0];
  if (first === undefined) throw new EngineError('bad_request', 'No prompts to prefill.');
  const prefixCache = new KvCache(deps.spec, 1);
  let cache: KvCache | undefined;
  try {
    const prefix = await prefillAlone(deps, prefixCache, first.slice(0, prefixLength), chunk);
    cache = await prefixCache.repeated(prompts.length);
    const rests = await prefillRests(
      deps,
      cache,
      prompts,
      prompts.map(() => prefixLength),
    );
    return {
      cache,
      logits: rests.logits,
      runMs: prefix.runMs + rests.runMs,
      lengths: prompts.map((p) => p.length),
    };
  } catch (error) {
    cache?.dispose();
    throw error;
  } finally {
    prefixCache.dispose();
  }
}

export interface RestsOutcome extends PrefillOutcome {
  /** Per prompt, where its real positions end in the cache (its prefix's end plus its rest). */
  ends: number[];
}

/**
 * The rests of several prompts in one pass after their prefixes (`from[r]` tokens, already in
 * `cache`, left-padded to the cache's length): the rests right-padded after the prefixes (mask 0 on
 * both paddings), positions continuing each row's own prefix, each row's logits read at its own
 * last token.
 */
export async function prefillRests(
  deps: DecodeDeps,
  cache: KvCache,
  prompts: readonly (readonly number[])[],
  from: readonly number[],
): Promise<RestsOutcome> {
  const past = cache.length;
  const rests = prompts.map((p, r) => p.slice(from[r]));
  const seq = Math.max(...rests.map((s) => s.length));
  const ids = new Array<number>(prompts.length * seq).fill(0);
  const positions = new Array<number>(prompts.length * seq).fill(0);
  const mask = new Array<number>(prompts.length * (past + seq)).fill(0);
  for (const [r, rest] of rests.entries()) {
    const start = from[r] as number;
    const row = r * (past + seq);
    mask.fill(1, row + past - start, row + past + rest.length);
    for (let i = 0; i < seq; i++) {
      ids[r * seq + i] = rest[i] ?? 0;
      positions[r * seq + i] = start + i;
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
    logits: prompts.map((_, r) => step.logits.subarray(r * vocab, (r + 1) * vocab)),
    runMs: step.runMs,
    ends: rests.map((s) => past + s.length),
  };
}

export interface ApartOutcome extends PrefillOutcome {
  /** One batch-1 cache per member: the shared prefix's KV and states, then its own suffix. */
  caches: KvCache[];
}

/**
 * Shared-prefix prefill for hybrid graphs, whose conv / recurrent states must never see padding:
 * the prefix is prefilled once, then each member continues alone from its own copy of the prefix's
 * cache and states (no padded suffix pass). What sharing saves is the prefix, as with KV-only graphs.
 */
export async function prefillSharedApart(
  deps: DecodeDeps,
  prompts: readonly (readonly number[])[],
  prefixLength: number,
  chunk: number,
): Promise<ApartOutcome> {
  const first = prompts[0];
  if (first === undefined) throw new EngineError('bad_request', 'No prompts to prefill.');
  const prefixCache = new KvCache(deps.spec, 1);
  const caches: KvCache[] = [];
  try {
    const prefix = await prefillAlone(deps, prefixCache, first.slice(0, prefixLength), chunk);
    let runMs = prefix.runMs;
    const logits: Float32Array[] = [];
    for (const prompt of prompts) {
      const cache = await prefixCache.repeated(1);
      caches.push(cache);
      const own = await prefillAlone(deps, cache, prompt.slice(prefixLength), chunk, prefixLength);
      runMs += own.runMs;
      logits.push(own.logits[0] as Float32Array);
    }
    return { caches, logits, runMs };
  } catch (error) {
    for (const cache of caches) cache.dispose();
    throw error;
  } finally {
    prefixCache.dispose();
  }
}
