import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { hasCode } from '../../util/system-error.js';
import { DTYPES, type Dtype, dtypeOfFileName } from '../model/variants.js';
import { fileSize } from './local-files.js';
import type { RepoLayout } from './select-files.js';

export interface LocalModel {
  /** owner/name */
  id: string;
  dir: string;
  layout: RepoLayout;
  /** The graph variants in `onnx/` (HF layout), in DTYPES order; empty for genai. */
  dtypes: Dtype[];
  /** Every file under the directory, unfinished `.part` files included. */
  sizeBytes: number;
}

async function entries(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (hasCode(error, 'ENOENT', 'ENOTDIR')) return [];
    throw error;
  }
}

async function subdirectories(dir: string): Promise<string[]> {
  return (await entries(dir))
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

async function totalSize(dir: string): Promise<number> {
  let sum = 0;
  for (const entry of await entries(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sum += await totalSize(path);
    else if (entry.isFile()) sum += (await stat(path)).size;
  }
  return sum;
}

/** The dtypes of the graphs in `onnx/`, for the same base names the loader knows. */
async function onnxDtypes(onnxDir: string): Promise<Dtype[]> {
  const names = (await entries(onnxDir)).filter((e) => e.isFile()).map((e) => e.name);
  for (const base of ['model', 'decoder_model_merged']) {
    const found = new Set(names.map((n) => dtypeOfFileName(n, base)).filter((d) => d !== undefined));
    if (found.size > 0) return DTYPES.filter((d) => found.has(d));
  }
  return [];
}

async function describe(modelsDir: string, owner: string, name: string): Promise<LocalModel | undefined> {
  const dir = join(modelsDir, owner, name);
  const base = { id: `${owner}/${name}`, dir };
  if ((await fileSize(join(dir, 'genai_config.json'))) !== undefined) {
    return { ...base, layout: 'genai', dtypes: [], sizeBytes: await totalSize(dir) };
  }
  const onnx = await entries(join(dir, 'onnx'));
  if (onnx.length === 0) return undefined;
  return {
    ...base,
    layout: 'hf',
    dtypes: await onnxDtypes(join(dir, 'onnx')),
    sizeBytes: await totalSize(dir),
  };
}

/**
 * The models under `<modelsDir>/<owner>/<name>` (what `pullModel` writes), sorted by id. A directory
 * counts when it has genai_config.json (genai) or a non-empty onnx/ folder (HF); a missing modelsDir
 * is an empty list.
 */
export async function listLocalModels(modelsDir: string): Promise<LocalModel[]> {
  const models: LocalModel[] = [];
  for (const owner of await subdirectories(modelsDir)) {
    for (const name of await subdirectories(join(modelsDir, owner))) {
      const model = await describe(modelsDir, owner, name);
      if (model !== undefined) models.push(model);
    }
  }
  return models;
}
