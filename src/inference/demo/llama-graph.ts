/**
 * The whole decoder graph: embeddings (or `inputs_embeds`), decoder layers (attention, or a hybrid's
 * conv / linear-attention mixer), final norm and lm_head.
 */

import type { ModelDef } from '../onnx-proto/onnx-proto.js';
import { attr, GraphBuilder } from './graph-builder.js';
import type { LinearEmitter } from './linear.js';
import { attentionAllowed, rotaryTables, selfAttention } from './llama-attention.js';
import { llamaGraphInputs, llamaGraphOutputs, pastKeyName, takesEmbeddings } from './llama-io.js';
import { convMixer, linearMixer } from './mixer-graph.js';
import type { Mixer } from './mixer-weights.js';
import { modelDef } from './model-def.js';
import { mropeTables } from './mrope-graph.js';
import type { DemoSpec } from './spec.js';
import type { DemoWeights } from './weights.js';

/** x / sqrt(mean(x^2) + eps) * weight over the last axis. */
function rmsNorm(g: GraphBuilder, x: string, name: string, weight: Float32Array, eps: number): string {
  const w = g.floatWeight(name, [weight.length], weight);
  const meanSquare = g.op('ReduceMean', [g.op('Mul', [x, x])], {
    attributes: [attr.ints('axes', [-1]), attr.int('keepdims', 1)],
  });
  const rms = g.op('Sqrt', [g.op('Add', [meanSquare, g.float([eps])])]);
  return g.op('Mul', [g.op('Div', [x, rms]), w]);
}

/** (silu(x W_gate) * (x W_up)) W_down. */
function swiGlu(
  g: GraphBuilder,
  x: string,
  layer: number,
  w: DemoWeights['layers'][number],
  linear: LinearEmitter,
) {
  return g.scoped('mlp', () => {
    const p = `model.layers.${layer}.mlp`;
    const gate = linear(g, x, `${p}.gate_proj.weight`, w.gateProj);
    const silu = g.op('Mul', [gate, g.op('Sigmoid', [gate])]);
    const up = linear(g, x, `${p}.up_proj.weight`, w.upProj);
    return linear(g, g.op('Mul', [silu, up]), `${p}.down_proj.weight`, w.downProj);
  });
}

/** Token embeddings: input_ids -> [batch, seq, hidden] (also the whole of Qwen3.5's embed_tokens graph). */
export function embedTokens(g: GraphBuilder, spec: DemoSpec, weights: DemoWeights): string {
  const embed = g.floatWeight(
    'model.embed_tokens.weight',
    [spec.vocabSize, spec.hiddenSize],
    weights.embedTokens.data,
  );
  return g.scoped('model/embed_tokens', () => g.op('Gather', [embed, 'input_ids']));
}

export function buildLlamaModel(
  spec: DemoSpec,
  weights: DemoWeights,
  linear: LinearEmitter,
  quantized: boolean,
  mixers: readonly (Mixer | undefined)[] = [],
): ModelDef {
  const g = new GraphBuilder();
  const embeds = takesEmbeddings(spec);
  let hidden = embeds ? 'inputs_embeds' : embedTokens(g, spec, weights);
  // Vision-language decoders take [3, batch, seq] positions (M-RoPE).
  const rotary = embeds ? mropeTables(g, spec) : rotaryTables(g, spec, 'position_ids');
  const firstAttention = spec.layerTypes.indexOf('full_attention');
  const allowed = attentionAllowed(
    g,
    spec.numHeads / spec.numKvHeads,
    pastKeyName(firstAttention),
    embeds ? 'inputs_embeds' : 'input_ids',
  );
  weights.layers.forEach((w, i) => {
    g.scoped(`model/layers.${i}`, () => {
      const p = `model.layers.${i}`;
      const attnIn = rmsNorm(g, hidden, `${p}.input_layernorm.weight`, w.inputNorm, spec.rmsNormEps);
      const mixer = mixers[i];
      const mixed =
        mixer === undefined
          ? selfAttention(g, spec, i, attnIn, w, linear, rotary, allowed)
          : mixer.kind === 'conv'
            ? convMixer(g, spec, i, attnIn, mixer, linear)
            : linearMixer(g, spec, i, attnIn, mixer, linear);
      hidden = g.op('Add', [hidden, mixed]);
      const mlpIn = rmsNorm(
        g,
        hidden,
        `${p}.post_attention_layernorm.weight`,
        w.postAttentionNorm,
        spec.rmsNormEps,
      );
      hidden = g.op('Add', [hidden, swiGlu(g, mlpIn, i, w, linear)]);
    });
  });
  const normed = g.scoped('model/norm', () =>
    rmsNorm(g, hidden, 'model.norm.weight', weights.finalNorm, spec.rmsNormEps),
  );
  const logits = g.scoped('lm_head', () => linear(g, normed, 'lm_head.weight', weights.lmHead));
  g.op('Identity', [logits], { outputs: ['logits'] });
  return modelDef(
    'main_graph',
    g,
    { inputs: llamaGraphInputs(spec), outputs: llamaGraphOutputs(spec) },
    quantized,
  );
}
