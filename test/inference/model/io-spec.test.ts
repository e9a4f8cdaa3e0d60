import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelError } from '../../../src/inference/model/errors.js';
import { type IoHints, readIoSpec, type TensorMeta } from '../../../src/inference/model/io-spec.js';
import { readModelLayout } from '../../../src/inference/model/layout.js';
import { demoModelDir, GPT2_DIR, QWEN_DIR, tensorMeta, thrown } from './support.js';

interface RealGraph {
  inputs: TensorMeta[];
  outputs: TensorMeta[];
  hints: IoHints;
}

/** Session metadata of a real graph, with the hints its layout gives (as loadModel passes them). */
async function realGraph(dir: string, graph: string): Promise<RealGraph> {
  const layout = await readModelLayout(dir);
  const session = await ort.InferenceSession.create(graph);
  try {
    return {
      inputs: tensorMeta(session.inputMetadata),
      outputs: tensorMeta(session.outputMetadata),
      hints: {
        ...layout.names,
        numKvHeads: layout.numKvHeads,
        headDim: layout.headDim,
        vocabSize: layout.vocabSize,
      },
    };
  } finally {
    await session.release();
  }
}

function layerNames(layers: number, pattern: string): string[] {
  return Array.from({ length: layers }, (_, i) => pattern.replace('%d', String(i)));
}

describe('readIoSpec on real session metadata', () => {
  let gpt2: RealGraph;
  let qwen: RealGraph;
  let demo: RealGraph;
  beforeAll(async () => {
    const demoDir = await demoModelDir();
    [gpt2, qwen, demo] = await Promise.all([
      realGraph(GPT2_DIR, join(GPT2_DIR, 'past.onnx')),
      realGraph(QWEN_DIR, join(QWEN_DIR, 'decoder.onnx')),
      realGraph(demoDir, join(demoDir, 'onnx', 'model_q4.onnx')),
    ]);
  });

  it('GPT-2 (genai): int32 ids, positions and mask; stacked float32 past_N with 4 heads of 8', () => {
    const spec = readIoSpec(gpt2.inputs, gpt2.outputs, gpt2.hints);
    expect(spec.inputIds).toEqual({ name: 'input_ids', type: 'int32' });
    expect(spec.attentionMask).toEqual({ name: 'attention_mask', type: 'int32' });
    expect(spec.positionIds).toEqual({ name: 'position_ids', type: 'int32' });
    expect(spec.useCacheBranch).toBeUndefined();
    expect(spec.logits).toEqual({ name: 'logits', type: 'float32', vocabSize: 1000 });
    expect(spec.kv.kind).toBe('stacked');
    expect(spec.kv.layers).toEqual(
      layerNames(5, '%d').map((i) => ({ past: `past_${i}`, present: `present_${i}` })),
    );
    expect(spec.kv.type).toBe('float32');
    expect(spec.kv.numKvHeads).toBe(4);
    expect(spec.kv.headDim).toBe(8);
  });

  it('GPT-2 reads the same without hints: past_%d / present_%d are the stacked defaults', () => {
    expect(readIoSpec(gpt2.inputs, gpt2.outputs)).toEqual(readIoSpec(gpt2.inputs, gpt2.outputs, gpt2.hints));
  });

  it('Qwen (genai): no position_ids although genai_config names one; int64 mask; float16 GQA cache', () => {
    expect(qwen.hints.positionIds).toBe('position_ids');
    expect(qwen.inputs.map((m) => m.name)).not.toContain('position_ids');
    const spec = readIoSpec(qwen.inputs, qwen.outputs, qwen.hints);
    expect(spec.positionIds).toBeUndefined();
    expect(spec.inputIds).toEqual({ name: 'input_ids', type: 'int32' });
    expect(spec.attentionMask).toEqual({ name: 'attention_mask', type: 'int64' });
    expect(spec.logits).toEqual({ name: 'logits', type: 'float16', vocabSize: 1000 });
    expect(spec.kv).toEqual({
      kind: 'separate',
      layers: [0, 1].map((i) => ({
        pastKey: `past_key_values.${i}.key`,
        pastValue: `past_key_values.${i}.value`,
        presentKey: `present.${i}.key`,
        presentValue: `present.${i}.value`,
      })),
      type: 'float16',
      numKvHeads: 2,
      headDim: 16,
      indices: [0, 1],
    });
    expect(spec.states).toEqual([]);
  });

  it('demo Llama (HF): int64 ids, mask and positions; separate float32 cache with 2 kv heads of 16', () => {
    expect(demo.hints.pastKey).toBeUndefined();
    const spec = readIoSpec(demo.inputs, demo.outputs, demo.hints);
    expect(spec.inputIds).toEqual({ name: 'input_ids', type: 'int64' });
    expect(spec.attentionMask).toEqual({ name: 'attention_mask', type: 'int64' });
    expect(spec.positionIds).toEqual({ name: 'position_ids', type: 'int64' });
    expect(spec.logits).toEqual({ name: 'logits', type: 'float32', vocabSize: 512 });
    expect(spec.kv.kind).toBe('separate');
    expect(spec.kv.layers).toHaveLength(2);
    expect(spec.kv.type).toBe('float32');
    expect(spec.kv.numKvHeads).toBe(2);
    expect(spec.kv.headDim).toBe(16);
  });

  it('metadata dims win over config hints that disagree', () => {
    const spec = readIoSpec(demo.inputs, demo.outputs, { numKvHeads: 8, headDim: 64, vocabSize: 9999 });
    expect(spec.kv.numKvHeads).toBe(2);
    expect(spec.kv.headDim).toBe(16);
    expect(spec.logits.vocabSize).toBe(512);
  });
});

// Hand-written metadata: what other exporters produce, and what teambot must refuse.
const t = (name: string, type: string, shape: (number | string)[]): TensorMeta => ({ name, type, shape });
const ids = t('input_ids', 'int64', ['batch', 'seq']);
const mask = t('attention_mask', 'int64', ['batch', 'total']);
const logits = t('logits', 'float32', ['batch', 'seq', 32]);
const cache = (name: string, heads: number | string = 2, dim: number | string = 16, type = 'float32') =>
  t(name, type, ['batch', heads, 'past', dim]);

function separateKv(layers: number, past = 'past_key_values.%d', present = 'present.%d') {
  const names = (p: string, kind: string) => layerNames(layers, p).map((n) => `${n}.${kind}`);
  return {
    inputs: [...names(past, 'key'), ...names(past, 'value')].map((n) => cache(n)),
    outputs: [...names(present, 'key'), ...names(present, 'value')].map((n) => cache(n)),
  };
}

function specError(inputs: TensorMeta[], outputs: TensorMeta[], hints: IoHints = {}): ModelError {
  const error = thrown(() => readIoSpec(inputs, outputs, hints));
  expect(error).toBeInstanceOf(ModelError);
  expect(error).toMatchObject({ code: 'unsupported_model' });
  return error as ModelError;
}

describe('readIoSpec on hand-written metadata', () => {
  it('honours genai name hints for every input and output', () => {
    const inputs = [
      t('tokens', 'int32', ['b', 's']),
      t('mask', 'int32', ['b', 't']),
      t('pos', 'int32', ['b', 's']),
      cache('cache_in.0.k'),
      cache('cache_in.0.v'),
      cache('cache_in.1.k'),
      cache('cache_in.1.v'),
    ];
    const outputs = [
      t('scores', 'float16', ['b', 's', 100]),
      cache('cache_out.0.k'),
      cache('cache_out.0.v'),
      cache('cache_out.1.k'),
      cache('cache_out.1.v'),
    ];
    const hints: IoHints = {
      inputIds: 'tokens',
      attentionMask: 'mask',
      positionIds: 'pos',
      pastKey: 'cache_in.%d.k',
      pastValue: 'cache_in.%d.v',
      presentKey: 'cache_out.%d.k',
      presentValue: 'cache_out.%d.v',
      logits: 'scores',
    };
    const spec = readIoSpec(inputs, outputs, hints);
    expect(spec.inputIds).toEqual({ name: 'tokens', type: 'int32' });
    expect(spec.attentionMask).toEqual({ name: 'mask', type: 'int32' });
    expect(spec.positionIds).toEqual({ name: 'pos', type: 'int32' });
    expect(spec.logits).toEqual({ name: 'scores', type: 'float16', vocabSize: 100 });
    expect(spec.kv.kind).toBe('separate');
    expect(spec.kv.layers).toEqual([
      {
        pastKey: 'cache_in.0.k',
        pastValue: 'cache_in.0.v',
        presentKey: 'cache_out.0.k',
        presentValue: 'cache_out.0.v',
      },
      {
        pastKey: 'cache_in.1.k',
        pastValue: 'cache_in.1.v',
        presentKey: 'cache_out.1.k',
        presentValue: 'cache_out.1.v',
      },
    ]);

    // The same graph without the hints: no input_ids to feed.
    const error = specError(inputs, outputs);
    expect(error.message).toContain('no input_ids input');
    expect(error.message).toContain('tokens, mask, pos');
  });

  it('honours stacked past/present name hints', () => {
    const inputs = [
      ids,
      t('kv_in_0', 'float32', [2, 'b', 3, 'p', 8]),
      t('kv_in_1', 'float32', [2, 'b', 3, 'p', 8]),
    ];
    const outputs = [
      logits,
      t('kv_out_0', 'float32', [2, 'b', 3, 't', 8]),
      t('kv_out_1', 'float32', [2, 'b', 3, 't', 8]),
    ];
    const spec = readIoSpec(inputs, outputs, { past: 'kv_in_%d', present: 'kv_out_%d' });
    expect(spec.kv).toEqual({
      kind: 'stacked',
      layers: [
        { past: 'kv_in_0', present: 'kv_out_0' },
        { past: 'kv_in_1', present: 'kv_out_1' },
      ],
      type: 'float32',
      numKvHeads: 3,
      headDim: 8,
      indices: [0, 1],
    });
    expect(spec.attentionMask).toBeUndefined();
    expect(spec.positionIds).toBeUndefined();
  });

  it('falls back to the standard names when a hint names an input the graph lacks', () => {
    const kv = separateKv(1);
    const spec = readIoSpec([ids, mask, ...kv.inputs], [logits, ...kv.outputs], {
      inputIds: 'tokens',
      attentionMask: 'attn',
      positionIds: 'position_ids',
      logits: 'scores',
    });
    expect(spec.inputIds.name).toBe('input_ids');
    expect(spec.attentionMask?.name).toBe('attention_mask');
    expect(spec.positionIds).toBeUndefined();
    expect(spec.logits.name).toBe('logits');
  });

  it('reads the older past_key_N / present_key_N names', () => {
    const inputs = [ids, cache('past_key_0'), cache('past_value_0')];
    const outputs = [logits, cache('present_key_0'), cache('present_value_0')];
    expect(readIoSpec(inputs, outputs).kv.layers).toEqual([
      {
        pastKey: 'past_key_0',
        pastValue: 'past_value_0',
        presentKey: 'present_key_0',
        presentValue: 'present_value_0',
      },
    ]);
  });

  it('orders layers by their index, not by metadata order', () => {
    const kv = separateKv(3);
    const spec = readIoSpec([ids, ...[...kv.inputs].reverse()], [logits, ...[...kv.outputs].reverse()]);
    expect(spec.kv.kind).toBe('separate');
    if (spec.kv.kind !== 'separate') throw new Error('unreachable');
    expect(spec.kv.layers.map((l) => l.pastKey)).toEqual(layerNames(3, 'past_key_values.%d.key'));
    expect(spec.kv.layers.map((l) => l.presentValue)).toEqual(layerNames(3, 'present.%d.value'));
  });

  it('notes the use_cache_branch input of merged exports', () => {
    const kv = separateKv(1);
    const withBranch = readIoSpec(
      [ids, mask, t('use_cache_branch', 'bool', [1]), ...kv.inputs],
      [logits, ...kv.outputs],
    );
    expect(withBranch.useCacheBranch).toBe('use_cache_branch');
    expect(readIoSpec([ids, mask, ...kv.inputs], [logits, ...kv.outputs]).useCacheBranch).toBeUndefined();
  });

  it('notes a num_logits_to_keep / logits_to_keep input of newer exports', () => {
    const kv = separateKv(1);
    for (const name of ['num_logits_to_keep', 'logits_to_keep']) {
      const spec = readIoSpec([ids, mask, t(name, 'int64', []), ...kv.inputs], [logits, ...kv.outputs]);
      expect(spec.logitsToKeep).toBe(name);
    }
    expect(readIoSpec([ids, mask, ...kv.inputs], [logits, ...kv.outputs]).logitsToKeep).toBeUndefined();
  });

  it('refuses an input it cannot feed and names it', () => {
    const kv = separateKv(1);
    const error = specError(
      [ids, mask, t('token_type_ids', 'int64', ['b', 's']), ...kv.inputs],
      [logits, ...kv.outputs],
    );
    expect(error.message).toBe('The graph needs inputs teambot does not know how to feed: token_type_ids.');
  });

  it('refuses a graph without KV-cache inputs and says what it needs', () => {
    const error = specError([ids, mask], [logits]);
    expect(error.message).toContain('no KV-cache inputs');
    expect(error.message).toContain('(inputs: input_ids, attention_mask)');
    expect(error.message).toContain('past key/values');
  });

  it('refuses separate pasts without presents', () => {
    const kv = separateKv(2);
    const error = specError([ids, ...kv.inputs], [logits]);
    expect(error.message).toBe(
      'The graph takes past_key_values.%d.key inputs but has no matching present.%d.key outputs.',
    );
  });

  it('refuses separate pasts with fewer presents than layers', () => {
    const kv = separateKv(2);
    const error = specError([ids, ...kv.inputs], [logits, cache('present.0.key'), cache('present.0.value')]);
    expect(error.message).toContain('no matching present.%d.key outputs');
  });

  it('refuses stacked pasts without presents', () => {
    const error = specError([ids, t('past_0', 'float32', [2, 'b', 4, 'p', 8])], [logits]);
    expect(error.message).toContain('past_0');
  });

  it('refuses a cache that skips a layer', () => {
    const inputs = [ids, cache('past_key_values.0.key'), cache('past_key_values.0.value')];
    inputs.push(cache('past_key_values.2.key'), cache('past_key_values.2.value'));
    const outputs = [logits, cache('present.0.key'), cache('present.0.value')];
    outputs.push(cache('present.2.key'), cache('present.2.value'));
    expect(specError(inputs, outputs).message).toBe("The graph's past keys skip layer 1.");
  });

  it('reads a hybrid: attention layers with KV, the others with conv and recurrent states', () => {
    const inputs = [ids, cache('past_key_values.1.key'), cache('past_key_values.1.value')];
    inputs.push(t('past_conv.0', 'float32', ['b', 12, 4]), t('past_recurrent.0', 'float32', ['b', 2, 8, 8]));
    inputs.push(t('position_ids', 'int64', [3, 'b', 's']));
    const outputs = [logits, cache('present.1.key'), cache('present.1.value')];
    outputs.push(
      t('present_conv.0', 'float32', ['b', 12, 4]),
      t('present_recurrent.0', 'float32', ['b', 2, 8, 8]),
    );
    const spec = readIoSpec(inputs, outputs);
    expect(spec.kv.indices).toEqual([1]);
    expect(spec.positionIds).toEqual({ name: 'position_ids', type: 'int64', rows: 3 });
    expect(spec.states).toEqual([
      {
        layer: 0,
        kind: 'conv',
        past: 'past_conv.0',
        present: 'present_conv.0',
        type: 'float32',
        dims: [12, 4],
        size: 48,
      },
      {
        layer: 0,
        kind: 'recurrent',
        past: 'past_recurrent.0',
        present: 'present_recurrent.0',
        type: 'float32',
        dims: [2, 8, 8],
        size: 128,
      },
    ]);
  });

  it('refuses a state without its present, or with a symbolic axis beside the batch', () => {
    const kv = separateKv(1);
    const conv = t('past_conv.1', 'float32', ['b', 12, 4]);
    expect(specError([ids, ...kv.inputs, conv], [logits, ...kv.outputs]).message).toBe(
      'The graph takes past_conv.1 but has no present_conv.1 output.',
    );
    const symbolic = t('past_conv.1', 'float32', ['b', 'c', 4]);
    const present = t('present_conv.1', 'float32', ['b', 'c', 4]);
    expect(specError([ids, ...kv.inputs, symbolic], [logits, ...kv.outputs, present]).message).toContain(
      'every axis but the batch must be fixed',
    );
  });

  it('takes KV heads and head size from the hints when the graph leaves them symbolic', () => {
    const inputs = [
      ids,
      cache('past_key_values.0.key', 'heads', 'dim'),
      cache('past_key_values.0.value', 'heads', 'dim'),
    ];
    const outputs = [
      logits,
      cache('present.0.key', 'heads', 'dim'),
      cache('present.0.value', 'heads', 'dim'),
    ];
    const spec = readIoSpec(inputs, outputs, { numKvHeads: 3, headDim: 32 });
    expect(spec.kv.numKvHeads).toBe(3);
    expect(spec.kv.headDim).toBe(32);

    // Only the head size symbolic: the graph's head count stays, the config gives the size.
    const half = readIoSpec(
      [ids, cache('past_key_values.0.key', 6, 'dim'), cache('past_key_values.0.value', 6, 'dim')],
      outputs,
      {
        numKvHeads: 3,
        headDim: 32,
      },
    );
    expect(half.kv.numKvHeads).toBe(6);
    expect(half.kv.headDim).toBe(32);
  });

  it('refuses symbolic KV dims without hints, naming the tensor', () => {
    const inputs = [
      ids,
      cache('past_key_values.0.key', 'heads', 'dim'),
      cache('past_key_values.0.value', 'heads', 'dim'),
    ];
    const outputs = [logits, cache('present.0.key'), cache('present.0.value')];
    const error = specError(inputs, outputs, { numKvHeads: 2 });
    expect(error.message).toBe(
      'Cannot tell the KV heads and head size of "past_key_values.0.key" from the graph or the config.',
    );
  });

  it('takes the vocabulary size from the hints when the logits width is symbolic', () => {
    const kv = separateKv(1);
    const symbolic = t('logits', 'float32', ['b', 's', 'vocab']);
    expect(
      readIoSpec([ids, ...kv.inputs], [symbolic, ...kv.outputs], { vocabSize: 77 }).logits.vocabSize,
    ).toBe(77);
    expect(readIoSpec([ids, ...kv.inputs], [symbolic, ...kv.outputs]).logits.vocabSize).toBeUndefined();
  });

  it('refuses a graph without logits, listing its outputs', () => {
    const kv = separateKv(1);
    const error = specError(
      [ids, ...kv.inputs],
      [t('hidden_states', 'float32', ['b', 's', 64]), ...kv.outputs],
    );
    expect(error.message).toContain('no logits output');
    expect(error.message).toContain('hidden_states');
  });

  it('refuses integer types other than int32/int64 and float types other than float32/float16', () => {
    const kv = separateKv(1);
    const floatIds = specError(
      [t('input_ids', 'float32', ['b', 's']), ...kv.inputs],
      [logits, ...kv.outputs],
    );
    expect(floatIds.message).toBe(
      `The graph's input_ids input "input_ids" is float32; expected int32 or int64.`,
    );

    const bf16 = [
      cache('past_key_values.0.key', 2, 16, 'bfloat16'),
      cache('past_key_values.0.value', 2, 16, 'bfloat16'),
    ];
    const kvError = specError([ids, ...bf16], [logits, ...kv.outputs]);
    expect(kvError.message).toContain('"past_key_values.0.key" is bfloat16; expected float32 or float16');
  });
});
