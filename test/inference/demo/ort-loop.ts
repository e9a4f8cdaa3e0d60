/** Drives a demo model through onnxruntime-node the way a decoder loop does (test helper). */
import * as ort from 'onnxruntime-node';
import type { DemoSpec } from '../../../src/inference/demo/index.js';
import {
  pastKeyName,
  pastValueName,
  presentKeyName,
  presentValueName,
} from '../../../src/inference/demo/index.js';
import { argmax } from './support.js';

export type Past = Record<string, ort.Tensor>;

export interface StepInput {
  inputIds: number[][];
  attentionMask: number[][];
  positionIds: number[][];
  /** Defaults to empty (zero-length) pasts. */
  past?: Past;
}

export interface StepOutput {
  /** [batch, seq, vocab] flattened. */
  logits: Float32Array;
  dims: readonly number[];
  /** The presents, keyed by the past input names they feed next. */
  next: Past;
}

function int64Tensor(rows: number[][]): ort.Tensor {
  const width = rows[0]?.length ?? 0;
  const data = BigInt64Array.from(rows.flat(), (v) => BigInt(v));
  return new ort.Tensor('int64', data, [rows.length, width]);
}

export function emptyPast(spec: DemoSpec, batch: number): Past {
  const past: Past = {};
  for (let i = 0; i < spec.numLayers; i += 1) {
    for (const name of [pastKeyName(i), pastValueName(i)]) {
      past[name] = new ort.Tensor('float32', new Float32Array(0), [batch, spec.numKvHeads, 0, spec.headDim]);
    }
  }
  return past;
}

export async function runStep(
  session: ort.InferenceSession,
  spec: DemoSpec,
  input: StepInput,
): Promise<StepOutput> {
  const feeds: Record<string, ort.Tensor> = {
    input_ids: int64Tensor(input.inputIds),
    attention_mask: int64Tensor(input.attentionMask),
    position_ids: int64Tensor(input.positionIds),
    ...(input.past ?? emptyPast(spec, input.inputIds.length)),
  };
  const out = await session.run(feeds);
  const logits = out.logits;
  if (!logits) throw new Error('no logits output');
  const next: Past = {};
  for (let i = 0; i < spec.numLayers; i += 1) {
    next[pastKeyName(i)] = out[presentKeyName(i)] as ort.Tensor;
    next[pastValueName(i)] = out[presentValueName(i)] as ort.Tensor;
  }
  return { logits: logits.data as Float32Array, dims: logits.dims, next };
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
const ones = (count: number) => new Array<number>(count).fill(1);

/** The logits of the last position of row `row` of a [batch, seq, vocab] output. */
export function lastLogits(step: StepOutput, row = 0): Float32Array {
  const [, seq, vocab] = step.dims as [number, number, number];
  const start = (row * seq + seq - 1) * vocab;
  return step.logits.slice(start, start + vocab);
}

/** Greedy decoding with the KV cache: prompt with empty pasts, then one token per step. */
export async function greedyCached(
  session: ort.InferenceSession,
  spec: DemoSpec,
  prompt: number[],
  steps: number,
  stopIds: readonly number[] = [],
): Promise<number[]> {
  const generated: number[] = [];
  let past: Past | undefined;
  let chunk = prompt;
  let position = 0;
  for (let step = 0; step < steps; step += 1) {
    const out = await runStep(session, spec, {
      inputIds: [chunk],
      attentionMask: [ones(position + chunk.length)],
      positionIds: [range(position, chunk.length)],
      ...(past ? { past } : {}),
    });
    const next = argmax(lastLogits(out));
    generated.push(next);
    if (stopIds.includes(next)) break;
    past = out.next;
    position += chunk.length;
    chunk = [next];
  }
  return generated;
}

/** Greedy decoding without a cache: the whole sequence every step, with empty pasts. */
export async function greedyRecompute(
  session: ort.InferenceSession,
  spec: DemoSpec,
  prompt: number[],
  steps: number,
): Promise<number[]> {
  const sequence = [...prompt];
  for (let step = 0; step < steps; step += 1) {
    const out = await runStep(session, spec, {
      inputIds: [sequence],
      attentionMask: [ones(sequence.length)],
      positionIds: [range(0, sequence.length)],
    });
    sequence.push(argmax(lastLogits(out)));
  }
  return sequence.slice(prompt.length);
}
