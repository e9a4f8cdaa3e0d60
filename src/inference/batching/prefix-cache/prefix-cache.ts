/**
 * Prefix caching across requests (vLLM's automatic prefix caching, SGLang's RadixAttention), for
 * the batching scheduler: the KV of every prompt and answer, in blocks of PREFIX_BLOCK_TOKENS, is
 * kept in host memory (BlockStore: a byte budget, least recently used leaves evicted first);
 * a newcomer whose prompt starts with cached blocks is restored from them and prefills only the
 * rest. Rows with the same prefix resume from the same blocks, and add each block once.
 *
 * Blocks are added when a prompt's prefill ends (its whole blocks) and while a row decodes (each
 * block its answer fills), so a thread's next turn finds the previous prompt and answer.
 * Hybrid graphs (conv / recurrent states) can resume only where states were kept: at a block
 * boundary inside each prompt (the prefill stops there to copy them) and at the latest boundary
 * of each answer; a lookup falls back to the deepest cached block that has states.
 */
import type { IoSpec } from '../../model/io-spec.js';
import { KvCache } from '../../onnx/kv-cache.js';
import type { BatchKvCache } from '../batch-cache.js';
import type { DecodeDeps } from '../decode-types.js';
import { PREFILL_BATCH_TOKENS, PREFILL_PASS_TOKENS } from '../prefill-plan.js';
import { type PrefillUnit, planUnits, type UnitOutcome, unitCost } from '../prefill-units.js';
import type { Row } from '../row.js';
import { type BlockData, type BlockNode, BlockStore, blockKey } from './block-store.js';
import { blockOf, hostMap, type RowSource, restoreCache, statesOf } from './kv-blocks.js';
import type { PrefixCacheSample } from './metrics.js';
import { prefillRest, type RestOutcome } from './prefill-rest.js';
import { prefillResumed } from './prefill-resumed.js';

/** Tokens per cached block: what a prompt resumes at a multiple of. */
export const PREFIX_BLOCK_TOKENS = 16;

export interface PrefixCacheStats {
  blocks: number;
  bytes: number;
  evictions: number;
  /** Newcomers that resumed from a cached prefix, of all newcomers. */
  hits: number;
  lookups: number;
  reusedTokens: number;
  prefilledTokens: number;
}

/** Where a row's blocks are: the last one added (or found) and how many precede it with it. */
interface Track {
  node: BlockNode | undefined;
  blocks: number;
  /** The block holding states this row's decoding kept (replaced by the next one's). */
  statesAt?: BlockNode;
}

export class PrefixCache {
  private readonly store: BlockStore;
  private readonly tracks = new WeakMap<Row, Track>();
  private readonly boundaries = new WeakMap<PrefillUnit, RestOutcome['boundary']>();
  private readonly hybrid: boolean;
  private hits = 0;
  private lookups = 0;
  private reused = 0;
  private prefilledTokens = 0;
  private sent = { reused: 0, prefilled: 0, evictions: 0, bytes: 0 };

  constructor(
    private readonly spec: IoSpec,
    bytes: number,
    private readonly report: (sample: PrefixCacheSample) => void = () => {},
    readonly blockTokens = PREFIX_BLOCK_TOKENS,
  ) {
    this.store = new BlockStore(blockTokens, bytes);
    this.hybrid = spec.states.length > 0;
  }

  stats(): PrefixCacheStats {
    const { blocks, bytes, evictions } = this.store.counters();
    return {
      blocks,
      bytes,
      evictions,
      hits: this.hits,
      lookups: this.lookups,
      reusedTokens: this.reused,
      prefilledTokens: this.prefilledTokens,
    };
  }

  /**
   * The newcomers' prefill units: prompts that start with cached blocks resume from them (together
   * in one pass where the graph has no states, their rests right-padded; alone otherwise); on a
   * hybrid graph every prompt of more than a block goes alone too (its prefill stops at a block
   * boundary to keep the states there); the rest as planUnits groups them.
   */
  plan(admitted: readonly Row[], batched: boolean): PrefillUnit[] {
    const size = this.blockTokens;
    const own: PrefillUnit[] = [];
    const rest: Row[] = [];
    const resumed: Resumed[] = [];
    for (const row of admitted) {
      const ids = row.job.promptIds;
      if (row.job.vision !== undefined) {
        // Pictures' tokens are the same ids whatever the picture: their KV is never looked up or kept.
        this.prefilledTokens += ids.length;
        rest.push(row);
        continue;
      }
      // The blocks' data as of now: a block evicted before the unit runs still restores.
      const blocks = this.lookup(ids).map((node) => node.data);
      const from = blocks.length * size;
      this.lookups++;
      if (blocks.length > 0) this.hits++;
      this.reused += from;
      // What is computed: the prompt after its cached blocks (less what a shared-prefix unit saves, below).
      this.prefilledTokens += ids.length - from;
      if (blocks.length === 0 && !(this.hybrid && ids.length > size)) rest.push(row);
      else if (!this.hybrid && batched && ids.length - from <= row.job.params.prefillChunk)
        resumed.push({ row, blocks, from });
      else own.push(this.alone({ row, blocks, from }));
    }
    own.push(...this.together(resumed));
    const units = [...own, ...planUnits(rest, batched)];
    for (const unit of units) this.prefilledTokens -= (unit.rows.length - 1) * (unit.prefixLength ?? 0);
    this.emit();
    return units.sort((a, b) => unitCost(a) - unitCost(b));
  }

  /** One prompt resumed alone (a hybrid's prefill stops at its last block boundary to keep the states). */
  private alone({ row, blocks, from }: Resumed): PrefillUnit {
    const ids = row.job.promptIds;
    const size = this.blockTokens;
    const boundary = Math.floor((ids.length - 1) / size) * size;
    const unit: PrefillUnit = { rows: [row], tokens: ids.length - from };
    unit.run = async (deps: DecodeDeps): Promise<UnitOutcome> => {
      const cache = blocks.length > 0 ? restoreCache(deps.spec, [blocks], size) : new KvCache(deps.spec, 1);
      const done = await prefillRest(deps, cache, ids, from, boundary, row.job.params.prefillChunk);
      this.boundaries.set(unit, done.boundary);
      return done;
    };
    return unit;
  }

  /** Resumed prompts in passes of at most PREFILL_BATCH_TOKENS padded rest tokens, shortest rests first. */
  private together(resumed: Resumed[]): PrefillUnit[] {
    const units: PrefillUnit[] = [];
    const sorted = [...resumed].sort((a, b) => rest(a) - rest(b));
    while (sorted.length > 0) {
      let n = 1;
      while (n < sorted.length && (n + 1) * rest(sorted[n] as Resumed) <= PREFILL_BATCH_TOKENS) n++;
      const group = sorted.splice(0, n);
      if (group.length === 1) {
        units.push(this.alone(group[0] as Resumed));
        continue;
      }
      units.push({
        rows: group.map((g) => g.row),
        tokens: group.length * rest(group.at(-1) as Resumed) + PREFILL_PASS_TOKENS,
        run: (deps) =>
          prefillResumed(
            deps,
            restoreCache(
              deps.spec,
              group.map((g) => g.blocks),
              this.blockTokens,
            ),
            group.map((g) => g.row.job.promptIds),
            group.map((g) => g.from),
          ),
      });
    }
    return units;
  }

  /** After a unit's prefill: its prompts' whole blocks (and states where kept) into the store. */
  async prefilled(unit: PrefillUnit, outcome: UnitOutcome): Promise<void> {
    const size = this.blockTokens;
    const boundary = this.boundaries.get(unit);
    for (const part of outcome.parts) {
      const data = await hostMap(part.cache, this.spec);
      for (const [r, member] of part.members.entries()) {
        const row = unit.rows[member] as Row;
        if (row.job.vision !== undefined) continue; // see plan(): not keyed by its pictures
        const ids = row.job.promptIds;
        const width = part.cache.length;
        const source = {
          data,
          batch: part.cache.batch,
          row: r,
          width,
          end: part.ends?.[r] ?? width,
          length: ids.length,
        };
        const track: Track = { node: undefined, blocks: 0 };
        const whole = Math.floor(ids.length / size);
        for (let i = 0; i < whole; i++) {
          const node = this.store.insert(track.node, blockKey(ids, i * size, size), () => ({
            kv: blockOf(this.spec, source, i, size),
          }));
          if (node === undefined) break;
          track.node = node;
          track.blocks = i + 1;
          if (boundary !== undefined && boundary.at === (i + 1) * size)
            this.store.setStates(node, boundary.states);
        }
        // The states after the whole prompt are at a block boundary only when it fills its last block.
        if (this.hybrid && track.node !== undefined && track.blocks * size === ids.length)
          this.store.setStates(track.node, statesOf(this.spec, source));
        if (track.blocks === whole) this.tracks.set(row, track);
      }
    }
    this.emit();
  }

  /** After a decode step: each row that just filled a block adds it (with its states on hybrids). */
  stepped(rows: readonly Row[], cache: BatchKvCache): void {
    const size = this.blockTokens;
    let view: ReturnType<BatchKvCache['hostView']> | null = null;
    for (const [r, row] of rows.entries()) {
      const track = this.tracks.get(row);
      const length = cache.rowLengths[r] ?? 0;
      if (track === undefined || length !== (track.blocks + 1) * size) continue;
      if (track.node?.evicted === true) {
        this.tracks.delete(row);
        continue;
      }
      view ??= cache.hostView();
      if (view === undefined) return;
      const source: RowSource = { ...view, row: r, length };
      const ids = blockIds(row, track.blocks * size, size);
      const node = this.store.insert(track.node, blockKey(ids, 0, size), () => ({
        kv: blockOf(this.spec, source, track.blocks, size),
      }));
      if (node === undefined) {
        this.tracks.delete(row);
        continue;
      }
      if (this.hybrid) {
        if (track.statesAt !== undefined) this.store.setStates(track.statesAt, undefined);
        this.store.setStates(node, statesOf(this.spec, source));
        track.statesAt = node;
      }
      track.node = node;
      track.blocks++;
    }
    this.emit();
  }

  clear(): void {
    this.store.clear();
  }

  /** Prompt tokens a request's prefill would compute now (what the cache does not hold). */
  readonly prefillCost = (job: { promptIds: readonly number[]; vision?: unknown }): number =>
    job.vision !== undefined
      ? job.promptIds.length
      : job.promptIds.length - this.lookup(job.promptIds, false).length * this.blockTokens;

  /** The cached blocks `ids` starts with, leaving at least its last token to prefill. */
  private lookup(ids: readonly number[], touch = true): BlockNode[] {
    const size = this.blockTokens;
    const path: BlockNode[] = [];
    let node: BlockNode | undefined;
    for (let i = 0; (i + 1) * size <= ids.length - 1; i++) {
      node = this.store.child(node, blockKey(ids, i * size, size));
      if (node === undefined) break;
      path.push(node);
    }
    // A hybrid graph resumes only where the states were kept.
    if (this.hybrid) while (path.length > 0 && path.at(-1)?.data.states === undefined) path.pop();
    const last = path.at(-1);
    if (last !== undefined && touch) this.store.touch(last);
    return path;
  }

  private emit(): void {
    const { bytes, evictions } = this.store.counters();
    const last = this.sent;
    if (this.reused === last.reused && this.prefilledTokens === last.prefilled && bytes === last.bytes)
      return;
    this.sent = { reused: this.reused, prefilled: this.prefilledTokens, evictions, bytes };
    this.report({
      reusedTokens: this.reused - last.reused,
      prefilledTokens: this.prefilledTokens - last.prefilled,
      evictions: evictions - last.evictions,
      bytes,
    });
  }
}

/** A newcomer whose prompt starts with `blocks` (their data), `from` tokens in all. */
interface Resumed {
  row: Row;
  blocks: BlockData[];
  from: number;
}

const rest = (r: Resumed) => r.row.promptLength - r.from;

/** `size` ids of the row's prompt-and-answer sequence from `start`. */
function blockIds(row: Row, start: number, size: number): number[] {
  const prompt = row.job.promptIds;
  const out: number[] = [];
  for (let p = start; p < start + size; p++)
    out.push(p < prompt.length ? (prompt[p] as number) : (row.tokens[p - prompt.length] as number));
  return out;
}
