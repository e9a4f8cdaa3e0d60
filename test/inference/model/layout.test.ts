import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelError } from '../../../src/inference/model/errors.js';
import { readModelLayout } from '../../../src/inference/model/layout.js';
import { loadModel } from '../../../src/inference/onnx/load-model.js';
import {
  copyModel,
  demoModelDir,
  GPT2_DIR,
  QWEN_DIR,
  readJson,
  rejection,
  useScratchDirs,
  writeJson,
} from './support.js';

let demoDir: string;
beforeAll(async () => {
  demoDir = await demoModelDir();
});

const scratch = useScratchDirs();

describe('readModelLayout: Hugging Face / onnx-community layout', () => {
  it('reads the demo model: variants, shapes and token ids from config.json and generation_config.json', async () => {
    const config = await readJson(join(demoDir, 'config.json'));
    const layout = await readModelLayout(demoDir);
    expect(layout.kind).toBe('hf');
    expect(layout.dir).toBe(demoDir);
    expect(layout.modelType).toBe('llama');
    expect(layout.graph).toBeUndefined();
    expect(layout.graphs).toEqual({
      fp32: join(demoDir, 'onnx', 'model.onnx'),
      q4: join(demoDir, 'onnx', 'model_q4.onnx'),
    });
    expect(layout.contextLength).toBe(config.max_position_embeddings);
    expect(layout.contextLength).toBe(512);
    expect(layout.vocabSize).toBe(512);
    expect(layout.numLayers).toBe(2);
    expect(layout.numKvHeads).toBe(2);
    expect(layout.headDim).toBe(16);
    // generation_config.json wins: it lists two EOS ids where config.json has one.
    expect(config.eos_token_id).toBe(443);
    expect(layout.eosTokenIds).toEqual([443, 441]);
    expect(layout.bosTokenId).toBe(441);
    expect(layout.padTokenId).toBe(441);
    expect(layout.names).toEqual({});
    expect(layout.generation).toMatchObject({ do_sample: false });
  });

  it("falls back to config.json's ids without generation_config.json, and derives head size and kv heads", async () => {
    const dir = await copyModel(demoDir, join(await scratch(), 'model'));
    await rm(join(dir, 'generation_config.json'));
    const config = await readJson(join(dir, 'config.json'));
    delete config.head_dim;
    delete config.num_key_value_heads;
    await writeJson(join(dir, 'config.json'), config);

    const layout = await readModelLayout(dir);
    expect(layout.eosTokenIds).toEqual([443]);
    expect(layout.bosTokenId).toBe(441);
    expect(layout.generation).toEqual({});
    // hidden_size 64 / 4 attention heads; without num_key_value_heads every head has its own KV.
    expect(layout.headDim).toBe(16);
    expect(layout.numKvHeads).toBe(4);
  });

  it('reads the language model settings of a multimodal config from text_config', async () => {
    const dir = await copyModel(demoDir, join(await scratch(), 'model'));
    await writeJson(join(dir, 'config.json'), {
      model_type: 'gemma3',
      eos_token_id: 7,
      text_config: {
        max_position_embeddings: 8192,
        vocab_size: 262144,
        num_hidden_layers: 26,
        num_attention_heads: 8,
        num_key_value_heads: 4,
        head_dim: 256,
      },
    });
    await rm(join(dir, 'generation_config.json'));
    const layout = await readModelLayout(dir);
    expect(layout).toMatchObject({
      modelType: 'gemma3',
      contextLength: 8192,
      vocabSize: 262144,
      numLayers: 26,
      numKvHeads: 4,
      headDim: 256,
      eosTokenIds: [7],
    });
  });

  it('recognizes the older onnx/decoder_model_merged*.onnx naming and loads it', async () => {
    const dir = await copyModel(demoDir, join(await scratch(), 'model'));
    // The graphs keep naming their external data model.onnx_data / model_q4.onnx_data, which stay.
    await rename(join(dir, 'onnx', 'model.onnx'), join(dir, 'onnx', 'decoder_model_merged.onnx'));
    await rename(join(dir, 'onnx', 'model_q4.onnx'), join(dir, 'onnx', 'decoder_model_merged_q4.onnx'));
    await writeFile(join(dir, 'onnx', 'decoder_model.onnx'), 'not a variant of the merged graph');

    const layout = await readModelLayout(dir);
    expect(layout.graphs).toEqual({
      fp32: join(dir, 'onnx', 'decoder_model_merged.onnx'),
      q4: join(dir, 'onnx', 'decoder_model_merged_q4.onnx'),
    });

    const model = await loadModel(dir, { device: 'cpu', dtype: 'fp32' });
    try {
      expect(model.opened.graph).toEqual({
        path: join(dir, 'onnx', 'decoder_model_merged.onnx'),
        dtype: 'fp32',
      });
      expect(model.spec.kv.layers).toHaveLength(2);
    } finally {
      await model.opened.session.release();
    }
  });

  it('prefers onnx/model*.onnx over decoder_model_merged*.onnx and ignores unknown suffixes', async () => {
    const dir = await scratch();
    await writeJson(join(dir, 'config.json'), { model_type: 'llama' });
    await mkdir(join(dir, 'onnx'));
    for (const file of [
      'model_fp16.onnx',
      'model_q4f16.onnx',
      'model_q3.onnx',
      'model_fp16.onnx_data',
      'decoder_model_merged.onnx',
      'decoder_model_merged_int8.onnx',
    ]) {
      await writeFile(join(dir, 'onnx', file), '');
    }
    const layout = await readModelLayout(dir);
    expect(layout.graphs).toEqual({
      fp16: join(dir, 'onnx', 'model_fp16.onnx'),
      q4f16: join(dir, 'onnx', 'model_q4f16.onnx'),
    });
    expect(layout.modelType).toBe('llama');
    expect(layout.eosTokenIds).toEqual([]);
  });
});

describe('readModelLayout: onnxruntime-genai layout', () => {
  it('reads the GPT-2 fixture: one graph, stacked past/present name patterns, context length', async () => {
    const layout = await readModelLayout(GPT2_DIR);
    expect(layout.kind).toBe('genai');
    expect(layout.modelType).toBe('gpt2');
    expect(layout.graph).toBe(join(GPT2_DIR, 'past.onnx'));
    expect(layout.graphs).toEqual({});
    expect(layout.contextLength).toBe(512);
    expect(layout.vocabSize).toBe(1000);
    expect(layout.numLayers).toBe(5);
    expect(layout.numKvHeads).toBe(4);
    expect(layout.headDim).toBe(8);
    expect(layout.eosTokenIds).toEqual([98]);
    expect(layout.bosTokenId).toBe(98);
    expect(layout.padTokenId).toBe(98);
    expect(layout.names.past).toBe('past_%d');
    expect(layout.names.present).toBe('present_%d');
    expect(layout.names.inputIds).toBeUndefined();
    expect(layout.names.pastKey).toBeUndefined();
  });

  it('reads the Qwen fixture: its separate key/value name patterns and the position_ids it names', async () => {
    const layout = await readModelLayout(QWEN_DIR);
    expect(layout.kind).toBe('genai');
    expect(layout.modelType).toBe('qwen2');
    expect(layout.graph).toBe(join(QWEN_DIR, 'decoder.onnx'));
    expect(layout.contextLength).toBe(128);
    expect(layout.vocabSize).toBe(1000);
    expect(layout.numLayers).toBe(2);
    expect(layout.numKvHeads).toBe(2);
    expect(layout.headDim).toBe(16);
    expect(layout.eosTokenIds).toEqual([2]);
    expect(layout.bosTokenId).toBe(1);
    expect(layout.padTokenId).toBe(0);
    expect(layout.names).toEqual({
      inputIds: 'input_ids',
      attentionMask: 'attention_mask',
      positionIds: 'position_ids',
      pastKey: 'past_key_values.%d.key',
      pastValue: 'past_key_values.%d.value',
      past: undefined,
      logits: 'logits',
      presentKey: 'present.%d.key',
      presentValue: 'present.%d.value',
      present: undefined,
    });
    expect(layout.generation).toEqual({ past_present_share_buffer: true });
  });

  it('takes the context length from search.max_length when the model does not state one', async () => {
    const dir = await copyModel(GPT2_DIR, join(await scratch(), 'model'));
    const genai = await readJson(join(dir, 'genai_config.json'));
    const model = genai.model as Record<string, unknown>;
    delete model.context_length;
    genai.search = { max_length: 300 };
    await writeJson(join(dir, 'genai_config.json'), genai);
    const layout = await readModelLayout(dir);
    expect(layout.contextLength).toBe(300);
    expect(layout.generation).toEqual({ max_length: 300 });
  });

  it('reads genai_config.json even when a config.json and onnx/ folder sit beside it', async () => {
    const dir = await copyModel(QWEN_DIR, join(await scratch(), 'model'));
    await writeJson(join(dir, 'config.json'), { model_type: 'llama' });
    await mkdir(join(dir, 'onnx'));
    const layout = await readModelLayout(dir);
    expect(layout.kind).toBe('genai');
    expect(layout.modelType).toBe('qwen2');
  });
});

describe('readModelLayout: errors', () => {
  it('a missing directory is not_found and names it', async () => {
    const dir = join(await scratch(), 'no-such-model');
    const error = await rejection(() => readModelLayout(dir));
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'not_found', message: `Model directory ${dir} does not exist.` });
  });

  it('a file instead of a directory is not_found', async () => {
    const error = await rejection(() => readModelLayout(join(GPT2_DIR, 'past.onnx')));
    expect(error).toMatchObject({ code: 'not_found' });
    expect((error as Error).message).toContain('past.onnx');
  });

  it('a directory of unrelated files is unknown_layout and lists what it holds', async () => {
    const dir = await scratch();
    await writeFile(join(dir, 'notes.txt'), 'hello');
    await writeFile(join(dir, 'weights.bin'), 'x');
    const error = await rejection(() => readModelLayout(dir));
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'unknown_layout' });
    const { message } = error as Error;
    expect(message).toContain(dir);
    expect(message).toContain('genai_config.json');
    expect(message).toContain('config.json with an onnx/ folder');
    expect(message).toMatch(/It holds: (notes\.txt, weights\.bin|weights\.bin, notes\.txt)\.$/);
  });

  it('an empty directory says it holds nothing', async () => {
    const dir = await scratch();
    const error = await rejection(() => readModelLayout(dir));
    expect(error).toMatchObject({ code: 'unknown_layout' });
    expect((error as Error).message).toMatch(/It holds: nothing\.$/);
  });

  it('config.json without an onnx/ folder is unknown_layout', async () => {
    const dir = await scratch();
    await writeJson(join(dir, 'config.json'), { model_type: 'llama' });
    await writeFile(join(dir, 'model.safetensors'), '');
    const error = await rejection(() => readModelLayout(dir));
    expect(error).toMatchObject({ code: 'unknown_layout' });
    expect((error as Error).message).toContain('config.json, model.safetensors');
  });

  it('an onnx/ folder without a graph is missing_file and says which names it expects', async () => {
    const dir = await scratch();
    await writeJson(join(dir, 'config.json'), { model_type: 'llama' });
    await mkdir(join(dir, 'onnx'));
    await writeFile(join(dir, 'onnx', 'model.onnx_data'), 'weights only');
    await writeFile(join(dir, 'onnx', 'encoder_model.onnx'), '');
    const error = await rejection(() => readModelLayout(dir));
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'missing_file' });
    const { message } = error as Error;
    expect(message).toContain(join(dir, 'onnx'));
    expect(message).toContain('onnx/model.onnx');
    expect(message).toContain('model_<dtype>.onnx');
  });

  it('a malformed config.json is bad_file and names the file', async () => {
    const dir = await copyModel(demoDir, join(await scratch(), 'model'));
    await writeFile(join(dir, 'config.json'), '{ "model_type": "llama", ');
    const error = await rejection(() => readModelLayout(dir));
    expect(error).toMatchObject({ code: 'bad_file' });
    expect((error as Error).message).toContain(`config.json in ${dir} is not valid JSON`);
  });

  it('a config.json holding a list is bad_file', async () => {
    const dir = await copyModel(demoDir, join(await scratch(), 'model'));
    await writeFile(join(dir, 'config.json'), '[1, 2]');
    const error = await rejection(() => readModelLayout(dir));
    expect(error).toMatchObject({
      code: 'bad_file',
      message: `config.json in ${dir} should hold a JSON object.`,
    });
  });

  it('a malformed generation_config.json is bad_file and names the file', async () => {
    const dir = await copyModel(demoDir, join(await scratch(), 'model'));
    await writeFile(join(dir, 'generation_config.json'), 'eos_token_id: 2');
    const error = await rejection(() => readModelLayout(dir));
    expect(error).toMatchObject({ code: 'bad_file' });
    expect((error as Error).message).toContain(`generation_config.json in ${dir} is not valid JSON`);
  });

  it('a malformed genai_config.json is bad_file and names the file', async () => {
    const dir = await copyModel(QWEN_DIR, join(await scratch(), 'model'));
    const text = await readFile(join(dir, 'genai_config.json'), 'utf8');
    await writeFile(join(dir, 'genai_config.json'), text.slice(0, text.length / 2));
    const error = await rejection(() => readModelLayout(dir));
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'bad_file' });
    expect((error as Error).message).toContain(`genai_config.json in ${dir} is not valid JSON`);
  });

  it('a genai_config.json without model.decoder.filename is bad_file', async () => {
    const dir = await copyModel(QWEN_DIR, join(await scratch(), 'model'));
    const genai = await readJson(join(dir, 'genai_config.json'));
    const decoder = (genai.model as Record<string, Record<string, unknown>>).decoder as Record<
      string,
      unknown
    >;
    delete decoder.filename;
    await writeJson(join(dir, 'genai_config.json'), genai);
    const error = await rejection(() => readModelLayout(dir));
    expect(error).toMatchObject({
      code: 'bad_file',
      message: `${join(dir, 'genai_config.json')} lacks model.decoder.filename.`,
    });
  });

  it('a genai_config.json without a model section is bad_file', async () => {
    const dir = await scratch();
    await writeJson(join(dir, 'genai_config.json'), { search: { max_length: 10 } });
    const error = await rejection(() => readModelLayout(dir));
    expect(error).toMatchObject({ code: 'bad_file' });
    expect((error as Error).message).toContain('lacks model.decoder.filename');
  });
});
