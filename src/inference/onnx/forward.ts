import * as ort from 'onnxruntime-node';
import type { IoSpec } from '../model/io-spec.js';
import { EMBEDS_INPUT } from './embedded-session.js';
import { halfToFloat } from './half.js';
import type { StepCache } from './kv-cache.js';
import { hostData, intTensor, onesTensor } from './tensors.js';

/** One step's new tokens for every row of the batch (all rows the same length, left-padded by the caller). */
export interface StepInput {
  /** Row-major [batch, seq] token ids. */
  ids: ArrayLike<number>;
  /** Row-major [batch, seq] positions. */
  positions: ArrayLike<number>;
  /** Row-major [batch, past + seq]: 1 for real tokens, 0 for padding. Omitted: no padding (all ones). */
  mask?: ArrayLike<number>;
  seqLength: number;
  /**
   * Per row, which of the step's positions to return the logits of (right-padded rows end early).
   * Omitted: each row's last position.
   */
  logitsAt?: readonly number[];
  /** [batch, seq, hidden] embeddings fed instead of `ids` (a decoder taking inputs_embeds: vision prompts). */
  embeds?: ort.Tensor;
  /** Row-major [3, batch, seq] multimodal positions (vision prompts), instead of `positions` on every row. */
  positionRows?: ArrayLike<number>;
}

export interface StepOutput {
  /** [batch, vocab]: the logits of each row's last position, as float32. */
  logits: Float32Array;
  vocabSize: number;
  /** Milliseconds inside session.run. */
  runMs: number;
}

/** Row r's logits at position at[r] (default: the last) of the `seq` the logits cover. */
function pickRows(
  data: Float32Array | Uint16Array,
  batch: number,
  seq: number,
  vocab: number,
  half: boolean,
  at: readonly number[] | undefined,
): Float32Array {
  const out = new Float32Array(batch * vocab);
  for (let row = 0; row < batch; row++) {
    const start = (row * seq + (at?.[row] ?? seq - 1)) * vocab;
    const slice = data.subarray(start, start + vocab);
    out.set(half ? halfToFloat(slice as Uint16Array) : (slice as Float32Array), row * vocab);
  }
  return out;
}

/**
 * Multimodal rotary positions ([3, batch, seq]: temporal, height, width): for text every row is
 * the token's position, as transformers computes them for a prompt without images.
 */
function repeatRows(positions: ArrayLike<number>, rows: number): number[] {
  const out = new Array<number>(positions.length * rows);
  for (let r = 0; r < rows; r++)
    for (let i = 0; i < positions.length; i++) out[r * positions.length + i] = positions[i] as number;
  return out;
}

/** The feeds of one forward pass: the new tokens, the cache's pasts, mask and positions. */
export function stepFeeds(spec: IoSpec, cache: StepCache, input: StepInput): Record<string, ort.Tensor> {
  const batch = cache.batch;
  const seq = input.seqLength;
  const total = cache.length + seq;
  const feeds: Record<string, ort.Tensor> = {
    ...(input.embeds === undefined
      ? { [spec.inputIds.name]: intTensor(spec.inputIds.type, input.ids, [batch, seq]) }
      : { [EMBEDS_INPUT]: input.embeds }),
    ...cache.feeds(),
  };
  if (spec.attentionMask !== undefined) {
    const { name, type } = spec.attentionMask;
    feeds[name] =
      input.mask === undefined
        ? onesTensor(type, [batch, total])
        : intTensor(type, input.mask, [batch, total]);
  }
  if (spec.positionIds !== undefined) {
    const { name, type, rows } = spec.positionIds;
    feeds[name] =
      rows === undefined
        ? intTensor(type, input.positions, [batch, seq])
        : intTensor(type, input.positionRows ?? repeatRows(input.positions, rows), [rows, batch, seq]);
  }
  if (spec.logitsToKeep !== undefined) {
    const keep = input.logitsAt === undefined ? 1n : BigInt(seq);
    feeds[spec.logitsToKeep] = new ort.Tensor('int64', BigInt64Array.of(keep), []);
  }
  if (spec.useCacheBranch !== undefined) {
    feeds[spec.useCacheBranch] = new ort.Tensor('bool', Uint8Array.of(cache.length > 0 ? 1 : 0), [1]);
  }
  return feeds;
}

/** Runs one forward pass: feeds the new tokens and the cache, keeps the presents, returns last logits. */
export async function forward(
  session: ort.InferenceSession,
  spec: IoSpec,
  cache: StepCache,
  input: StepInput,
): Promise<StepOutput> {
  const batch = cache.batch;
  const seq = input.seqLength;
  const feeds = stepFeeds(spec, cache, input);
  const started = performance.now();
  const logitsName = (input.logitsAt === undefined ? spec.tails?.logits : undefined) ?? spec.logits.name;
  // Only what is used: onnxruntime-node copies every fetched output into JavaScript memory.
  const outputs = await session.run(feeds, [logitsName, ...cache.outputNames()]);
  const runMs = performance.now() - started;
  cache.absorb(outputs);
  const keep = cache.presentNames();
  const logitsTensor = outputs[logitsName];
  if (logitsTensor === undefined) throw new Error(`The model returned no ${logitsName} output.`);
  const vocabSize = logitsTensor.dims.at(-1) ?? 0;
  // Positions the logits cover: all of the step's tokens, or only the last with logits_to_keep.
  const rows = logitsTensor.dims.length === 3 ? (logitsTensor.dims[1] ?? seq) : 1;
  const data = (await hostData(logitsTensor)) as Float32Array | Uint16Array;
  const at = rows === seq ? input.logitsAt : undefined;
  const logits = pickRows(data, batch, rows, vocabSize, spec.logits.type === 'float16', at);
  for (const [name, tensor] of Object.entries(outputs)) if (!keep.has(name)) tensor.dispose();
  return { logits, vocabSize, runMs };
}
