/**
 * Graph inputs and outputs as Hugging Face Optimum exports a Llama decoder with past, and as the
 * onnx-community exports of the hybrids have them: KV for the attention layers only, `past_conv.N`
 * and `past_recurrent.N` for the others; Qwen3.5's decoder takes `inputs_embeds` (its embedding is
 * a graph of its own) and 3-row multimodal position ids.
 */
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

/** Whether the decoder takes embeddings from a separate embed_tokens graph (the vision-language layout). */
export const takesEmbeddings = (spec: DemoSpec): boolean =>
  spec.arch === 'qwen3_5' || spec.arch === 'qwen2_5_vl';

/** Per layer, the state tensors it keeps instead of (or beside) KV: [name stem, per-row dims]. */
function layerStates(spec: DemoSpec, layer: number): [string, number[]][] {
  const type = spec.layerTypes[layer];
  if (type === 'conv') return [['conv', [spec.hiddenSize, spec.convKernel]]];
  if (type !== 'linear_attention') return [];
  const d = spec.linearHeads * spec.linearHeadDim;
  return [
    ['conv', [3 * d, spec.convKernel]],
    ['recurrent', [spec.linearHeads, spec.linearHeadDim, spec.linearHeadDim]],
  ];
}

function cacheValues(spec: DemoSpec, side: 'past' | 'present'): ValueInfoDef[] {
  const values: ValueInfoDef[] = [];
  const kvShape = [BATCH, spec.numKvHeads, side === 'past' ? PAST : TOTAL, spec.headDim];
  for (let i = 0; i < spec.numLayers; i += 1) {
    if (spec.layerTypes[i] === 'full_attention') {
      const names =
        side === 'past' ? [pastKeyName(i), pastValueName(i)] : [presentKeyName(i), presentValueName(i)];
      for (const name of names) values.push({ name, elemType: DataType.FLOAT, shape: kvShape });
    }
    for (const [stem, dims] of layerStates(spec, i)) {
      values.push({ name: `${side}_${stem}.${i}`, elemType: DataType.FLOAT, shape: [BATCH, ...dims] });
    }
  }
  return values;
}

export function llamaGraphInputs(spec: DemoSpec): ValueInfoDef[] {
  const embeds = takesEmbeddings(spec);
  const inputs: ValueInfoDef[] = [
    embeds
      ? { name: 'inputs_embeds', elemType: DataType.FLOAT, shape: [BATCH, SEQUENCE, spec.hiddenSize] }
      : { name: 'input_ids', elemType: DataType.INT64, shape: [BATCH, SEQUENCE] },
    { name: 'attention_mask', elemType: DataType.INT64, shape: [BATCH, TOTAL] },
    {
      name: 'position_ids',
      elemType: DataType.INT64,
      shape: embeds ? [3, BATCH, SEQUENCE] : [BATCH, SEQUENCE],
    },
  ];
  return [...inputs, ...cacheValues(spec, 'past')];
}

export function llamaGraphOutputs(spec: DemoSpec): ValueInfoDef[] {
  const logits: ValueInfoDef = {
    name: 'logits',
    elemType: DataType.FLOAT,
    shape: [BATCH, SEQUENCE, spec.vocabSize],
  };
  return [logits, ...cacheValues(spec, 'present')];
}
