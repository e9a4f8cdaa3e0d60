/**
 * Weight variants in the Hugging Face / onnx-community layout: `onnx/model.onnx` is fp32 and
 * `onnx/model_<suffix>.onnx` the others, each optionally with external data files beside it
 * (`model_q4.onnx_data`, `model_q4.onnx_data_1`, ...).
 */
import { DTYPES, type Dtype } from '../../config/dtypes.js';

export { DTYPES, type Dtype };

export type DeviceKind = 'cpu' | 'cuda' | 'webgpu';

/** The file name (inside `onnx/`) of a variant of the model whose base name is `base` (usually "model"). */
export function variantFileName(dtype: Dtype, base = 'model'): string {
  return dtype === 'fp32' ? `${base}.onnx` : `${base}_${dtype}.onnx`;
}

/** The dtype a variant file name stands for, or undefined if it names none (or another base). */
export function dtypeOfFileName(fileName: string, base = 'model'): Dtype | undefined {
  if (fileName === `${base}.onnx`) return 'fp32';
  const prefix = `${base}_`;
  if (!fileName.startsWith(prefix) || !fileName.endsWith('.onnx')) return undefined;
  const suffix = fileName.slice(prefix.length, -'.onnx'.length);
  return (DTYPES as readonly string[]).includes(suffix) ? (suffix as Dtype) : undefined;
}

/** True when `fileName` is external data belonging to the graph file `graphFileName`. */
export function isExternalDataOf(fileName: string, graphFileName: string): boolean {
  return fileName === `${graphFileName}_data` || fileName.startsWith(`${graphFileName}_data_`);
}

/**
 * Preferred variants per device, best first. CPU: 4-bit MatMulNBits kernels are the fastest and
 * smallest there, then 8-bit, then full precision. GPUs: half precision (with 4-bit weights first).
 */
export const DTYPE_PREFERENCE: Readonly<Record<DeviceKind, readonly Dtype[]>> = {
  cpu: ['q4', 'int8', 'quantized', 'uint8', 'fp32', 'q4f16', 'fp16', 'bnb4'],
  cuda: ['fp16', 'q4f16', 'q4', 'fp32', 'int8', 'quantized', 'uint8', 'bnb4'],
  webgpu: ['q4f16', 'fp16', 'q4', 'fp32', 'int8', 'quantized', 'uint8', 'bnb4'],
};

export function isDtype(value: string): value is Dtype {
  return (DTYPES as readonly string[]).includes(value);
}

/** Parses a user-given dtype, with a message naming the accepted ones. */
export function parseDtype(value: string): Dtype {
  if (!isDtype(value)) throw new Error(`Unknown dtype "${value}": expected one of ${DTYPES.join(', ')}.`);
  return value;
}
