import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeRepo } from '../../helpers/fake-hub.js';

/** Deterministic pseudo-random bytes (a different stream per seed). */
export function bytes(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed * 2654435761 + 1;
  for (let i = 0; i < length; i += 1) {
    state = (state * 1103515245 + 12345) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

export const HF_REPO = 'onnx-community/Tiny-LM-ONNX';
export const GENAI_REPO = 'microsoft/tiny-lm-genai';

/** An onnx-community style repo: metadata, several variants, external data for fp32 and fp16. */
export function hfRepo(): FakeRepo {
  return {
    files: {
      '.gitattributes': '*.onnx filter=lfs\n',
      'README.md': '# Tiny LM\n',
      'config.json': JSON.stringify({ model_type: 'llama', num_hidden_layers: 2 }),
      'generation_config.json': JSON.stringify({ eos_token_id: 2 }),
      'tokenizer.json': JSON.stringify({ model: { type: 'BPE', vocab: {} } }),
      'tokenizer_config.json': JSON.stringify({ eos_token: '</s>' }),
      'special_tokens_map.json': JSON.stringify({ eos_token: '</s>' }),
      'chat_template.jinja': '{% for m in messages %}{{ m.content }}{% endfor %}',
      'onnx/model.onnx': bytes(1, 2_000),
      'onnx/model.onnx_data': bytes(2, 40_000),
      'onnx/model_fp16.onnx': bytes(3, 2_000),
      'onnx/model_fp16.onnx_data': bytes(4, 20_000),
      'onnx/model_fp16.onnx_data_1': bytes(5, 5_000),
      'onnx/model_q4.onnx': bytes(6, 30_000),
      'onnx/model_q4f16.onnx': bytes(7, 25_000),
      'onnx/model_int8.onnx': bytes(8, 35_000),
      'onnx/decoder_model_merged_q4.onnx': bytes(9, 1_500),
    },
  };
}

/** An onnxruntime-genai export: genai_config.json names the graph, external data in `<graph>.data`. */
export function genaiRepo(): FakeRepo {
  return {
    files: {
      'genai_config.json': JSON.stringify({
        model: { type: 'phi3', decoder: { filename: 'model.onnx', head_size: 16 } },
        search: { max_length: 128 },
      }),
      'config.json': JSON.stringify({ model_type: 'phi3' }),
      'tokenizer.json': JSON.stringify({ model: { type: 'BPE', vocab: {} } }),
      'tokenizer_config.json': JSON.stringify({ eos_token: '<|end|>' }),
      'model.onnx': bytes(10, 3_000),
      'model.onnx.data': bytes(11, 50_000),
      'other.onnx': bytes(12, 4_000),
      'README.md': '# genai\n',
    },
  };
}

export function tempModelsDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'teambot-hub-'));
}
