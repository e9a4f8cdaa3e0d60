/** Shared helpers of the demo-model tests: the cached tiny model and its tokenizer ids. */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DemoSpec, demoSpec, ensureDemoModel } from '../../../src/inference/demo/index.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Generated test models live here (git-ignored) so repeated runs reuse them. */
export const DEMO_CACHE_DIR = join(REPO_ROOT, '.cache', 'demo-models');

export const TINY: DemoSpec = demoSpec('tiny');

/** The tiny model (seed 0), generated on first use; test files may race for it safely. */
export function tinyModelDir(): Promise<string> {
  return ensureDemoModel({ size: 'tiny', cacheDir: DEMO_CACHE_DIR });
}

export interface ModelConfigIds {
  bos: number;
  eos: number[];
  pad: number;
}

export async function readJson<T = Record<string, unknown>>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

/** Token ids from config.json and generation_config.json. */
export async function modelIds(dir: string): Promise<ModelConfigIds> {
  const generation = await readJson<{ bos_token_id: number; eos_token_id: number[]; pad_token_id: number }>(
    join(dir, 'generation_config.json'),
  );
  return { bos: generation.bos_token_id, eos: generation.eos_token_id, pad: generation.pad_token_id };
}

export function argmax(values: ArrayLike<number>, start = 0, length = values.length - start): number {
  let best = 0;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < length; i += 1) {
    const v = values[start + i] as number;
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i += 1) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

export function valueRange(values: ArrayLike<number>): number {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i += 1) {
    lo = Math.min(lo, values[i] as number);
    hi = Math.max(hi, values[i] as number);
  }
  return hi - lo;
}
