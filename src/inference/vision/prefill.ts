/**
 * A vision prompt's prefill: the pictures through the vision encoder, the prompt's ids through the
 * embedding graph, each visual token's embedding replaced by its picture's feature row (in order,
 * as transformers merges features at the image token), then the decoder over those embeddings with
 * the prompt's three-row M-RoPE positions, in chunks, into a batch-1 cache. The row then decodes in
 * the shared batch like any other.
 */
import * as ort from 'onnxruntime-node';
import type { IoSpec } from '../model/io-spec.js';
import { forward } from '../onnx/forward.js';
import type { KvCache } from '../onnx/kv-cache.js';
import { floatToHalf } from './half.js';
import type { VisionPrompt } from './prompt.js';
import type { VisionRunner } from './runner.js';

type FloatData = Float32Array | Uint16Array;

/** `features` rows (as the embeddings' element type) into `embeds` at each visual token of `ids`. */
export function mergeFeatures(
  embeds: ort.Tensor,
  features: ort.Tensor,
  ids: readonly number[],
  isVisual: (id: number) => boolean,
): void {
  const hidden = embeds.dims.at(-1) ?? 0;
  const target = embeds.data as FloatData;
  let rows = features.data as FloatData;
  if (embeds.type === 'float16' && features.type === 'float32') rows = floatToHalf(rows as Float32Array);
  else if (embeds.type !== features.type) {
    throw new Error(`The vision features are ${features.type}, the embeddings ${embeds.type}.`);
  }
  if ((features.dims.at(-1) ?? 0) !== hidden) {
    throw new Error(
      `The vision features are ${features.dims.at(-1)} wide; the text model's embeddings ${hidden}.`,
    );
  }
  let row = 0;
  for (const [i, id] of ids.entries()) {
    if (!isVisual(id)) continue;
    if ((row + 1) * hidden > rows.length)
      throw new Error('The vision encoder gave fewer features than the prompt has visual tokens.');
    target.set(rows.subarray(row * hidden, (row + 1) * hidden), i * hidden);
    row++;
  }
  if (row * hidden !== rows.length) {
    throw new Error(`The vision encoder gave ${rows.length / hidden} features for ${row} visual tokens.`);
  }
}

function slice(embeds: ort.Tensor, start: number, end: number): ort.Tensor {
  const hidden = embeds.dims.at(-1) ?? 0;
  const data = (embeds.data as FloatData).subarray(start * hidden, end * hidden);
  return embeds.type === 'float16'
    ? new ort.Tensor('float16', data as Uint16Array, [1, end - start, hidden])
    : new ort.Tensor('float32', data as Float32Array, [1, end - start, hidden]);
}

export interface VisionPrefill {
  logits: Float32Array;
  /** Milliseconds inside session.run (vision encoder, embedding and decoder). */
  runMs: number;
}

export async function prefillVision(
  session: ort.InferenceSession,
  spec: IoSpec,
  runner: VisionRunner,
  cache: KvCache,
  prompt: VisionPrompt,
  chunk: number,
): Promise<VisionPrefill> {
  const { ids, positions } = prompt;
  if (spec.positionIds?.rows !== 3) {
    throw new Error('This decoder does not take three-row (M-RoPE) position ids: it cannot place pictures.');
  }
  const { image, video } = runner.config.tokens;
  const started = performance.now();
  const features = await runner.encode(prompt.pixelValues, prompt.grids);
  const embeds = await runner.embed(ids);
  let runMs = performance.now() - started;
  try {
    mergeFeatures(embeds, features, ids, (id) => id === image || id === video);
    let logits: Float32Array | undefined;
    const n = ids.length;
    for (let start = 0; start < n; start += chunk) {
      const end = Math.min(n, start + chunk);
      const rows: number[] = [];
      for (let axis = 0; axis < 3; axis++)
        rows.push(...positions.rows.subarray(axis * n + start, axis * n + end));
      const step = await forward(session, spec, cache, {
        ids: ids.slice(start, end),
        positions: rows.slice(0, end - start),
        positionRows: rows,
        embeds: slice(embeds, start, end),
        seqLength: end - start,
      });
      runMs += step.runMs;
      logits = step.logits;
    }
    if (logits === undefined) throw new Error('The prompt is empty.');
    return { logits, runMs };
  } finally {
    features.dispose();
    embeds.dispose();
  }
}
