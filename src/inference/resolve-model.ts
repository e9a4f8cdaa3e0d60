import { readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { errorMessage } from '../util/error-message.js';
import { isDirectory } from '../util/path-kind.js';
import { ensureDemoModel } from './demo/index.js';
import type { ProgressListener } from './hub/progress.js';
import { pullModel } from './hub/pull.js';
import { isHubId, modelDirFor } from './hub/repo-id.js';
import { ModelError } from './model/errors.js';
import { readModelLayout } from './model/layout.js';
import type { Dtype } from './model/variants.js';
import type { DeviceChoice } from './onnx/device.js';
import { probeDevices } from './onnx/device.js';

/**
 * What `npm start` runs when MODEL is unset: Qwen3.5-0.8B, a hybrid (Gated DeltaNet beside
 * attention) that chats far better than Qwen2.5-0.5B-Instruct in Chinese and English, in the
 * onnx-community layout (embed_tokens + decoder_model_merged, q4 for CPU, fp16 for GPUs).
 * MODEL=onnx-community/Qwen2.5-0.5B-Instruct still runs the previous default.
 */
export const DEFAULT_MODEL = 'onnx-community/Qwen3.5-0.8B-ONNX';
/** MODEL=demo asks for the built-in generated model on purpose. */
export const DEMO_MODEL = 'demo';

export interface ResolveOptions {
  modelsDir: string;
  dtype: Dtype | 'auto';
  device: DeviceChoice;
  /** When a hub model cannot be pulled: use the generated demo model (the server) or fail (the CLI). */
  fallbackToDemo: boolean;
  onProgress?: ProgressListener;
  /** The hub (HF_ENDPOINT; default huggingface.co) and its token (HF_TOKEN). */
  endpoint?: string;
  token?: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export interface ResolvedModel {
  dir: string;
  /** The name replies and /v1/models show. */
  name: string;
  /** True for the generated demo model, whose answers are meaningless. */
  demo: boolean;
  /** Why the demo model stands in (the pull's error), when it does. */
  problem?: string;
}

/** A pulled model that can be used offline: readable, no download left half done, the asked variant present. */
async function completeLocally(dir: string, dtype: Dtype | 'auto'): Promise<boolean> {
  if (!(await isDirectory(dir))) return false;
  const entries = await readdir(dir, { recursive: true });
  if (entries.some((entry) => entry.endsWith('.part'))) return false;
  try {
    const layout = await readModelLayout(dir);
    return (
      layout.graph !== undefined ||
      (dtype === 'auto' ? Object.keys(layout.graphs).length > 0 : layout.graphs[dtype] !== undefined)
    );
  } catch {
    return false;
  }
}

async function demo(modelsDir: string, problem: string): Promise<ResolvedModel> {
  const dir = await ensureDemoModel({ size: 'tiny', cacheDir: join(modelsDir, '.demo') });
  return { dir, name: 'teambot-demo', demo: true, problem };
}

/**
 * Turns MODEL into a directory: an existing directory as is; a hub id from MODELS_DIR, pulled
 * (resumably) when missing; "demo" the generated model. Pull failures fall back to the demo model
 * when asked to, so a fresh offline machine still starts.
 */
export async function resolveModel(
  model: string | undefined,
  options: ResolveOptions,
): Promise<ResolvedModel> {
  const spec = model === undefined || model.trim() === '' ? DEFAULT_MODEL : model.trim();
  if (spec === DEMO_MODEL) return demo(options.modelsDir, 'MODEL=demo');
  const path = resolve(spec);
  if (await isDirectory(path)) return { dir: path, name: basename(path), demo: false };
  if (!isHubId(spec)) {
    throw new ModelError(
      'not_found',
      `MODEL "${spec}" is neither an existing directory nor a Hugging Face id (owner/name), nor "demo".`,
    );
  }
  const dir = modelDirFor(options.modelsDir, spec);
  if (await completeLocally(dir, options.dtype)) return { dir, name: spec, demo: false };
  try {
    const pulled = await pullModel({
      repo: spec,
      modelsDir: options.modelsDir,
      dtype: options.dtype === 'auto' ? undefined : options.dtype,
      device:
        options.device === 'auto'
          ? probeDevices().cudaLibrary === undefined
            ? 'cpu'
            : 'cuda'
          : options.device,
      onProgress: options.onProgress,
      endpoint: options.endpoint,
      token: options.token,
      fetch: options.fetch,
      signal: options.signal,
    });
    return { dir: pulled.dir, name: spec, demo: false };
  } catch (error) {
    if (!options.fallbackToDemo) throw error;
    return demo(options.modelsDir, `${spec} could not be pulled: ${errorMessage(error)}`);
  }
}
