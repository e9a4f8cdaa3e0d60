/** Qwen3.5's embed_tokens graph (onnx-community layout): input_ids -> inputs_embeds. */
import type { ModelDef } from '../onnx-proto/onnx-proto.js';
import { DataType } from '../onnx-proto/onnx-proto.js';
import { GraphBuilder } from './graph-builder.js';
import { embedTokens, ONNX_IR_VERSION, ONNX_OPSET, PRODUCER_NAME } from './llama-graph.js';
import { type DemoSpec, GENERATOR_VERSION } from './spec.js';
import type { DemoWeights } from './weights.js';

export function buildEmbedModel(spec: DemoSpec, weights: DemoWeights): ModelDef {
  const g = new GraphBuilder();
  g.op('Identity', [embedTokens(g, spec, weights)], { outputs: ['inputs_embeds'] });
  return {
    irVersion: ONNX_IR_VERSION,
    producerName: PRODUCER_NAME,
    producerVersion: String(GENERATOR_VERSION),
    opsets: [{ domain: '', version: ONNX_OPSET }],
    graph: {
      name: 'embed_tokens',
      nodes: g.nodes,
      initializers: g.initializers,
      inputs: [{ name: 'input_ids', elemType: DataType.INT64, shape: ['batch_size', 'sequence_length'] }],
      outputs: [
        {
          name: 'inputs_embeds',
          elemType: DataType.FLOAT,
          shape: ['batch_size', 'sequence_length', spec.hiddenSize],
        },
      ],
    },
  };
}
