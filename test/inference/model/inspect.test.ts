import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectModel } from '../../../src/inference/model/inspect.js';
import { copyModel, demoModelDir, GPT2_DIR, QWEN_DIR, rejection, useScratchDirs } from './support.js';

async function sizeOf(...paths: string[]): Promise<number> {
  let total = 0;
  for (const path of paths) total += (await stat(path)).size;
  return total;
}

const names = (list: { name: string; type: string }[]) => list.map((m) => `${m.name}:${m.type}`);
const kvNames = (layers: number, make: (i: number) => string[]) =>
  Array.from({ length: layers }, (_, i) => make(i)).flat();

let demoDir: string;
beforeAll(async () => {
  demoDir = await demoModelDir();
});

const scratch = useScratchDirs();

describe('inspectModel', () => {
  it('demo model: HF layout, both variants with their external data, the q4 graph opened', async () => {
    const info = await inspectModel(demoDir);
    expect(info.dir).toBe(demoDir);
    expect(info.layout).toBe('hf');
    expect(info.modelType).toBe('llama');
    expect(info.contextLength).toBe(512);
    expect(info.vocabSize).toBe(512);
    const onnx = join(demoDir, 'onnx');
    expect(info.variants).toHaveLength(2);
    expect(info.variants).toEqual(
      expect.arrayContaining([
        {
          dtype: 'fp32',
          file: 'onnx/model.onnx',
          sizeBytes: await sizeOf(join(onnx, 'model.onnx'), join(onnx, 'model.onnx_data')),
        },
        {
          dtype: 'q4',
          file: 'onnx/model_q4.onnx',
          sizeBytes: await sizeOf(join(onnx, 'model_q4.onnx'), join(onnx, 'model_q4.onnx_data')),
        },
      ]),
    );
    // The data files are most of the size.
    for (const v of info.variants)
      expect(v.sizeBytes).toBeGreaterThan(2 * (await sizeOf(join(demoDir, v.file))));
    expect(info.loaded).toEqual({ file: 'onnx/model_q4.onnx', dtype: 'q4', device: 'cpu' });
    expect(names(info.inputs)).toEqual([
      'input_ids:int64',
      'attention_mask:int64',
      'position_ids:int64',
      ...kvNames(2, (i) => [`past_key_values.${i}.key:float32`, `past_key_values.${i}.value:float32`]),
    ]);
    expect(info.inputs[3]?.shape).toEqual(['batch_size', 2, 'past_sequence_length', 16]);
    expect(names(info.outputs)).toEqual([
      'logits:float32',
      ...kvNames(2, (i) => [`present.${i}.key:float32`, `present.${i}.value:float32`]),
    ]);
    expect(info.outputs[0]?.shape).toEqual(['batch_size', 'sequence_length', 512]);
    expect(info.kvCache).toEqual({
      layout: 'separate',
      dtype: 'float32',
      layers: 2,
      kvHeads: 2,
      headDim: 16,
    });
    expect(info.tokenizer.size).toBe(512);
    expect(info.tokenizer.chatTemplate).toBe(true);
    expect([...info.tokenizer.eosTokenIds].sort()).toEqual([441, 443]);
  });

  it('demo model with --dtype fp32 opens model.onnx', async () => {
    const info = await inspectModel(demoDir, 'fp32');
    expect(info.loaded).toEqual({ file: 'onnx/model.onnx', dtype: 'fp32', device: 'cpu' });
    expect(info.kvCache.dtype).toBe('float32');
  });

  it('counts every part of split external data in a variant size', async () => {
    const scratchDir = await scratch();
    const model = await copyModel(demoDir, join(scratchDir, 'model'));
    const onnx = join(model, 'onnx');
    await writeFile(join(onnx, 'model_q4.onnx_data_1'), Buffer.alloc(4096));
    const before = await sizeOf(join(onnx, 'model_q4.onnx'), join(onnx, 'model_q4.onnx_data'));
    const info = await inspectModel(model);
    expect(info.variants.find((v) => v.dtype === 'q4')?.sizeBytes).toBe(before + 4096);
    expect(info.variants.find((v) => v.dtype === 'fp32')?.sizeBytes).toBe(
      await sizeOf(join(onnx, 'model.onnx'), join(onnx, 'model.onnx_data')),
    );
  });

  it('GPT-2 fixture: genai layout, one graph, int32 inputs and a stacked cache', async () => {
    const info = await inspectModel(GPT2_DIR);
    expect(info.layout).toBe('genai');
    expect(info.modelType).toBe('gpt2');
    expect(info.contextLength).toBe(512);
    expect(info.vocabSize).toBe(1000);
    expect(info.variants).toEqual([
      { dtype: 'single', file: 'past.onnx', sizeBytes: await sizeOf(join(GPT2_DIR, 'past.onnx')) },
    ]);
    expect(info.loaded).toEqual({ file: 'past.onnx', dtype: undefined, device: 'cpu' });
    expect(names(info.inputs)).toEqual([
      'input_ids:int32',
      'position_ids:int32',
      'attention_mask:int32',
      ...kvNames(5, (i) => [`past_${i}:float32`]),
    ]);
    expect(info.inputs[3]?.shape).toEqual([2, 'batch_size', 4, 'past_seq_len', 8]);
    expect(names(info.outputs)).toEqual(['logits:float32', ...kvNames(5, (i) => [`present_${i}:float32`])]);
    expect(info.kvCache).toEqual({ layout: 'stacked', dtype: 'float32', layers: 5, kvHeads: 4, headDim: 8 });
    expect(info.tokenizer).toEqual({ size: 50295, chatTemplate: false, eosTokenIds: [98] });
  });

  it('Qwen fixture: genai layout, no position_ids input, float16 cache and logits', async () => {
    const info = await inspectModel(QWEN_DIR);
    expect(info.layout).toBe('genai');
    expect(info.modelType).toBe('qwen2');
    expect(info.contextLength).toBe(128);
    expect(info.variants).toEqual([
      { dtype: 'single', file: 'decoder.onnx', sizeBytes: await sizeOf(join(QWEN_DIR, 'decoder.onnx')) },
    ]);
    expect(names(info.inputs)).toEqual([
      'input_ids:int32',
      'attention_mask:int64',
      ...kvNames(2, (i) => [`past_key_values.${i}.key:float16`, `past_key_values.${i}.value:float16`]),
    ]);
    expect(names(info.outputs)).toEqual([
      'logits:float16',
      ...kvNames(2, (i) => [`present.${i}.key:float16`, `present.${i}.value:float16`]),
    ]);
    expect(info.kvCache).toEqual({
      layout: 'separate',
      dtype: 'float16',
      layers: 2,
      kvHeads: 2,
      headDim: 16,
    });
    expect(info.tokenizer.chatTemplate).toBe(true);
    expect(info.tokenizer.eosTokenIds).toEqual([2]);
  });

  it('a missing directory rejects with not_found', async () => {
    const scratchDir = await scratch();
    const error = await rejection(() => inspectModel(join(scratchDir, 'gone')));
    expect(error).toMatchObject({ code: 'not_found' });
  });
});
