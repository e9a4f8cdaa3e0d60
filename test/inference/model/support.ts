/** Shared helpers of the model-layout and device tests: the three models and throwaway copies of them. */
import { chmod, cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as ort from 'onnxruntime-node';
import { afterEach } from 'vitest';
import type { TensorMeta } from '../../../src/inference/model/io-spec.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The three models: the generated tiny Llama and the two external exports. */
export { demoModelDir, GPT2_FIXTURE as GPT2_DIR, QWEN_FIXTURE as QWEN_DIR } from '../onnx/models.js';

export async function readJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(path, JSON.stringify(value, null, 2));
}

/** A temporary folder; call `cleanup` (afterEach/afterAll) to remove it. */
export async function tempDir(): Promise<{ path: string; cleanup(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'teambot-model-test-'));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** Registers an afterEach that removes them; returns a maker of temporary folders for one test. */
export function useScratchDirs(): () => Promise<string> {
  const temps: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of temps.splice(0)) await cleanup();
  });
  return async () => {
    const dir = await tempDir();
    temps.push(dir.cleanup);
    return dir.path;
  };
}

/** The fixtures are read-only: copies get owner write permission so tests can change and delete them. */
async function makeWritable(path: string): Promise<void> {
  const info = await stat(path);
  if (info.isDirectory()) {
    await chmod(path, 0o755);
    for (const entry of await readdir(path)) await makeWritable(join(path, entry));
  } else {
    await chmod(path, 0o644);
  }
}

/** Copies a model directory to `dest` (created) and makes the copy writable. */
export async function copyModel(src: string, dest: string): Promise<string> {
  await cp(src, dest, { recursive: true });
  await makeWritable(dest);
  return dest;
}

/** Session metadata as readIoSpec takes it (what loadModel passes). */
export function tensorMeta(list: readonly ort.InferenceSession.ValueMetadata[]): TensorMeta[] {
  return list.flatMap((m) => (m.isTensor ? [{ name: m.name, type: m.type, shape: m.shape }] : []));
}

/** Runs `action` expecting it to reject; returns the error for assertions. */
export async function rejection(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but it resolved');
}

/** Runs `action` expecting it to throw; returns the error for assertions. */
export function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an exception, but none was thrown');
}
