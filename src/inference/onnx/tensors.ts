import * as ort from 'onnxruntime-node';
import type { FloatType, IntType } from '../model/io-spec.js';

/** An int32 or int64 tensor from plain numbers. */
export function intTensor(type: IntType, values: ArrayLike<number>, dims: number[]): ort.Tensor {
  if (type === 'int32') return new ort.Tensor('int32', Int32Array.from(values), dims);
  const data = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = BigInt(values[i] as number);
  return new ort.Tensor('int64', data, dims);
}

let ones32 = new Int32Array(0);
let ones64 = new BigInt64Array(0);

/**
 * An all-ones tensor (an attention mask without padding), viewing a shared buffer that grows as
 * needed: no allocation or conversion per decode step. onnxruntime only reads its inputs.
 */
export function onesTensor(type: IntType, dims: number[]): ort.Tensor {
  const length = dims.reduce((a, b) => a * b, 1);
  if (type === 'int32') {
    if (ones32.length < length) ones32 = new Int32Array(Math.max(length, ones32.length * 2)).fill(1);
    return new ort.Tensor('int32', ones32.subarray(0, length), dims);
  }
  if (ones64.length < length) ones64 = new BigInt64Array(Math.max(length, ones64.length * 2)).fill(1n);
  return new ort.Tensor('int64', ones64.subarray(0, length), dims);
}

/** An empty (zero-length along some axis) float tensor: the first step's past key/values. */
export function emptyFloatTensor(type: FloatType, dims: number[]): ort.Tensor {
  return type === 'float16'
    ? new ort.Tensor('float16', new Uint16Array(0), dims)
    : new ort.Tensor('float32', new Float32Array(0), dims);
}

/** A zero-filled float tensor: the state of a hybrid layer before the first token. */
export function zeroFloatTensor(type: FloatType, dims: number[]): ort.Tensor {
  const size = dims.reduce((a, b) => a * b, 1);
  return type === 'float16'
    ? new ort.Tensor('float16', new Uint16Array(size), dims)
    : new ort.Tensor('float32', new Float32Array(size), dims);
}

/** A tensor's host data, downloading it first when it lives in a GPU buffer. */
export async function hostData(tensor: ort.Tensor): Promise<ort.Tensor['data']> {
  return tensor.location === 'cpu' ? tensor.data : await tensor.getData();
}
