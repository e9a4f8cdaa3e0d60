import { forward } from '../../../src/inference/onnx/forward.js';
import { KvCache } from '../../../src/inference/onnx/kv-cache.js';
import { type LoadedModel, loadModel } from '../../../src/inference/onnx/load-model.js';

export function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if ((row[i] as number) > (row[best] as number)) best = i;
  return best;
}

export function openCpu(dir: string, dtype: 'auto' | 'fp32' = 'auto'): Promise<LoadedModel> {
  return loadModel(dir, { device: 'cpu', dtype, threads: 1 });
}

/** Greedy decoding reusing the KV cache: one prefill, then one token per step. */
export async function greedyCached(model: LoadedModel, prompt: number[], steps: number): Promise<number[]> {
  const { session } = model.opened;
  const cache = new KvCache(model.spec);
  try {
    let out = await forward(session, model.spec, cache, {
      ids: prompt,
      positions: prompt.map((_, i) => i),
      mask: prompt.map(() => 1),
      seqLength: prompt.length,
    });
    const tokens: number[] = [];
    for (let i = 0; i < steps; i++) {
      const token = argmax(out.logits);
      tokens.push(token);
      const position = prompt.length + i;
      out = await forward(session, model.spec, cache, {
        ids: [token],
        positions: [position],
        mask: new Array(position + 1).fill(1),
        seqLength: 1,
      });
    }
    return tokens;
  } finally {
    cache.dispose();
  }
}

/** Greedy decoding with no cache at all: the whole sequence is recomputed for every token. */
export async function greedyRecomputed(
  model: LoadedModel,
  prompt: number[],
  steps: number,
): Promise<number[]> {
  const sequence = [...prompt];
  const tokens: number[] = [];
  for (let i = 0; i < steps; i++) {
    const cache = new KvCache(model.spec);
    const out = await forward(model.opened.session, model.spec, cache, {
      ids: sequence,
      positions: sequence.map((_, j) => j),
      mask: sequence.map(() => 1),
      seqLength: sequence.length,
    });
    cache.dispose();
    const token = argmax(out.logits);
    tokens.push(token);
    sequence.push(token);
  }
  return tokens;
}
