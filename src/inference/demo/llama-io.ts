/** Graph inputs and outputs exactly as Hugging Face Optimum exports a Llama decoder with past. */
import { DataType, type ValueInfoDef } from '../onnx-proto/onnx-proto.js';
import type { DemoSpec } from './spec.js';

export const pastKeyName = (layer: number): string => `past_key_values.${layer}.key`;
export const pastValueName = (layer: number): string => `past_key_values.${layer}.value`;
export const presentKeyName = (layer: number): string => `present.${layer}.key`;
export const presentValueName = (layer: number): string => `present.${layer}.value`;

const BATCH = 'batch_size';
const SEQUENCE = 'sequence_length';
const PAST = 'past_sequence_length';
const TOTAL = 'total_sequence_length';

export function llamaGraphInputs(spec: DemoSpec): ValueInfoDef[] {
  const inputs: ValueInfoDef[] = [
    { name: 'input_ids', elemType: DataType.INT64, shape: [BATCH, SEQUENCE] },
    { name: 'attention_mask', elemType: DataType.INT64, shape: [BATCH, TOTAL] },
    { name: 'position_ids', elemType: DataType.INT64, shape: [BATCH, SEQUENCE] },
  ];
  for (let i = 0; i < spec.numLayers; i += 1) {
    for (const name of [pastKeyName(i), pastValueName(i)]) {
      inputs.push({ name, elemType: DataType.FLOAT, shape: [BATCH, spec.numKvHeads, PAST, spec.headDim] });
    }
  }
  return inputs;
}

export function llamaGraphOutputs(spec: DemoSpec): ValueInfoDef[] {
  const outputs: ValueInfoDef[] = [
    { name: 'logits', elemType: DataType.FLOAT, shape: [BATCH, SEQUENCE, spec.vocabSize] },
  ];
  for (let i = 0; i < spec.numLayers; i += 1) {
    for (const name of [presentKeyName(i), presentValueName(i)]) {
      outputs.push({ name, elemType: DataType.FLOAT, shape: [BATCH, spec.numKvHeads, TOTAL, spec.headDim] });
    }
  }
  return outputs;
}
