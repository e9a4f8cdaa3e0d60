import type { BatchMetrics } from '../../../src/inference/batching/metrics.js';
import type { BatchSettings } from '../../../src/inference/batching/settings.js';
import { graphCanBatch, type OnnxEngine } from '../../../src/inference/onnx/engine.js';
import { openOnnxEngine } from '../../../src/inference/onnx/open-engine.js';
import type { GenerateResult, Generation } from '../../../src/inference/types.js';

export { graphCanBatch };

export function openBatched(
  dir: string,
  batch: Partial<BatchSettings> = {},
  metrics?: BatchMetrics,
  clock?: () => number,
  prefixCacheBytes = 0,
): Promise<OnnxEngine> {
  return openOnnxEngine(dir, {
    name: 'test-model',
    device: 'cpu',
    dtype: 'fp32',
    threads: 1,
    contextLength: 2048,
    defaults: { maxNewTokens: 16, temperature: 0, prefillChunk: 512 },
    batch,
    metrics,
    clock,
    prefixCacheBytes,
  });
}

export async function collect(generation: Generation) {
  const chunks: string[] = [];
  for await (const chunk of generation) chunks.push(chunk);
  return { chunks, result: await generation.result };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until a generation has streamed `n` chunks (or ended), then resolves; the chunks are kept. */
export function streamed(generation: Generation, n: number) {
  const chunks: string[] = [];
  let reached!: () => void;
  const atN = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const done = (async (): Promise<GenerateResult> => {
    for await (const chunk of generation) {
      chunks.push(chunk);
      if (chunks.length === n) reached();
    }
    reached();
    return generation.result;
  })();
  return { atN, done, chunks };
}
