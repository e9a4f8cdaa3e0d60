/** Qwen3.5's embed_tokens graph (onnx-community layout): input_ids -> inputs_embeds. */
import { DataType, type ModelDef } from '../onnx-proto/onnx-proto.js';
import { GraphBuilder } from './graph-builder.js';
import { embedTokens } from './llama-graph.js';
import { modelDef } from './model-def.js';
import type { DemoSpec } from './spec.js';
import type { DemoWeights } from './weights.js';

export function buildEmbedModel(spec: DemoSpec, weights: DemoWeights): ModelDef {
  const g = new GraphBuilder();
  g.op('Identity', [embedTokens(g, spec, weights)], { outputs: ['inputs_embeds'] });
  const ids = { name: 'input_ids', elemType: DataType.INT64, shape: ['batch_size', 'sequence_length'] };
  const embeds = {
    name: 'inputs_embeds',
    elemType: DataType.FLOAT,
    shape: ['batch_size', 'sequence_length', spec.hiddenSize],
  };
  return modelDef('embed_tokens', g, { inputs: [ids], outputs: [embeds] }, false);
}
