import {
  type DeviceKind,
  DTYPE_PREFERENCE,
  DTYPES,
  type Dtype,
  dtypeOfFileName,
  isExternalDataOf,
} from '../model/variants.js';
import { HubError } from './errors.js';
import type { RemoteFile } from './listing.js';

/** Top-level files a model directory may need besides the graphs, taken when the repo has them. */
export const METADATA_FILES = [
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'chat_template.jinja',
  'chat_template.json',
  'preprocessor_config.json',
  'video_preprocessor_config.json',
  'processor_config.json',
  'genai_config.json',
] as const;

/**
 * Graphs that go with the decoder in multimodal onnx-community exports (Qwen3.5: the decoder takes
 * `inputs_embeds`; images go through the vision encoder): pulled in the decoder's dtype, else the
 * closest one the repo has.
 */
const COMPANION_BASES = ['embed_tokens', 'vision_encoder'];

/**
 * Graph base names in `onnx/`, preferred first: current Optimum / onnx-community exports, then the
 * older merged decoder (the same order as the model loader's layout reader).
 */
const GRAPH_BASES = ['model', 'decoder_model_merged'];

export type RepoLayout = 'hf' | 'genai';

/** The metadata files the repo has, in METADATA_FILES order. */
function metadataFiles(files: RemoteFile[]): RemoteFile[] {
  return METADATA_FILES.flatMap((name) => files.filter((f) => f.path === name));
}

/** HF layout when the repo has an `onnx/` folder; onnxruntime-genai with a top-level genai_config.json. */
export function repoLayout(files: RemoteFile[], repo: string): RepoLayout {
  if (files.some((f) => f.path.startsWith('onnx/'))) return 'hf';
  if (files.some((f) => f.path === 'genai_config.json')) return 'genai';
  throw new HubError(
    'not_onnx',
    `${repo} has no onnx/ folder and no genai_config.json, so it is not an ONNX export teambot can run. ` +
      'Look for an ONNX version of the model (for example under onnx-community/).',
  );
}

/** The graph variants in `onnx/` for the first base name that has any: dtype → file name. */
export function hfVariants(files: RemoteFile[]): Map<Dtype, string> {
  for (const base of GRAPH_BASES) {
    const variants = variantsOf(files, base);
    if (variants.size > 0) return variants;
  }
  return new Map();
}

/** The variants of graph `base` in `onnx/`: dtype → file name. */
function variantsOf(files: RemoteFile[], base: string): Map<Dtype, string> {
  const variants = new Map<Dtype, string>();
  for (const f of files) {
    const name = f.path.slice('onnx/'.length);
    if (!f.path.startsWith('onnx/') || name.includes('/')) continue;
    const dtype = dtypeOfFileName(name, base);
    if (dtype !== undefined) variants.set(dtype, name);
  }
  return variants;
}

/** Each companion graph the repo has, in `dtype` or else its best stand-in, with its external data. */
function companionFiles(files: RemoteFile[], dtype: Dtype): RemoteFile[] {
  return COMPANION_BASES.flatMap((base) => {
    const variants = variantsOf(files, base);
    const pick = variants.has(dtype)
      ? dtype
      : (['fp32', 'fp16', ...DTYPES] as Dtype[]).find((d) => variants.has(d));
    return pick === undefined ? [] : graphFiles(files, `onnx/${variants.get(pick)}`);
  });
}

/** The asked dtype when the repo has it (else an error listing those it has), or the device's favourite. */
export function chooseDtype(
  available: readonly Dtype[],
  repo: string,
  asked?: Dtype,
  device: DeviceKind = 'cpu',
): Dtype {
  if (asked !== undefined) {
    if (available.includes(asked)) return asked;
    throw new HubError(
      'dtype_missing',
      `${repo} has no ${asked} variant; it has: ${DTYPES.filter((d) => available.includes(d)).join(', ')}. ` +
        'Pick one of those with --dtype.',
    );
  }
  const preferred = DTYPE_PREFERENCE[device].find((d) => available.includes(d)) ?? available[0];
  if (preferred === undefined) throw new Error('chooseDtype needs at least one available dtype');
  return preferred;
}

/** The files one graph needs: itself and its external data files, in order. */
function graphFiles(files: RemoteFile[], graphPath: string, extraDataNames: string[] = []): RemoteFile[] {
  const slash = graphPath.lastIndexOf('/');
  const folder = graphPath.slice(0, slash + 1);
  const graphName = graphPath.slice(slash + 1);
  const graph = files.find((f) => f.path === graphPath);
  if (graph === undefined) return [];
  const data = files
    .filter((f) => {
      if (!f.path.startsWith(folder) || f.path.slice(folder.length).includes('/')) return false;
      const name = f.path.slice(folder.length);
      return isExternalDataOf(name, graphName) || extraDataNames.includes(name);
    })
    .sort((a, b) => a.path.localeCompare(b.path));
  return [graph, ...data];
}

/**
 * HF layout: the metadata (less genai_config.json, which would make the loader take the directory
 * for the genai layout), then `onnx/<variant>` of the chosen dtype and its external data (every
 * part: `.onnx_data`, `.onnx_data_1`, ...), then the embedding and vision graphs of multimodal
 * exports in the same dtype.
 */
export function planHf(
  files: RemoteFile[],
  repo: string,
  asked?: Dtype,
  device?: DeviceKind,
): { dtype: Dtype; files: RemoteFile[] } {
  const variants = hfVariants(files);
  if (variants.size === 0) {
    const onnx = files.filter((f) => f.path.startsWith('onnx/')).map((f) => f.path);
    throw new HubError(
      'not_onnx',
      `${repo}'s onnx/ folder holds no decoder graph teambot can run (expected onnx/model.onnx or ` +
        `onnx/model_<dtype>.onnx); it holds: ${onnx.slice(0, 12).join(', ')}.`,
    );
  }
  const dtype = chooseDtype([...variants.keys()], repo, asked, device);
  const graph = `onnx/${variants.get(dtype)}`;
  // Not genai_config.json: the model loader reads a directory holding one as the genai layout.
  const metadata = metadataFiles(files).filter((f) => f.path !== 'genai_config.json');
  return { dtype, files: [...metadata, ...graphFiles(files, graph), ...companionFiles(files, dtype)] };
}

/**
 * onnxruntime-genai layout: the metadata and the graph genai_config.json names (`decoderFile`, relative
 * to the model directory) with its external data (`<graph>.data` or `<graph>_data*`).
 */
export function planGenai(files: RemoteFile[], repo: string, decoderFile: string): RemoteFile[] {
  const graph = graphFiles(files, decoderFile, [
    `${decoderFile.slice(decoderFile.lastIndexOf('/') + 1)}.data`,
  ]);
  if (graph.length === 0) {
    throw new HubError(
      'bad_genai_config',
      `${repo}'s genai_config.json names the graph ${decoderFile}, which the repo does not have.`,
    );
  }
  return [...metadataFiles(files), ...graph];
}
