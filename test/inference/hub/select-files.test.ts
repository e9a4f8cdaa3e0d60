import { describe, expect, it } from 'vitest';
import type { RemoteFile } from '../../../src/inference/hub/listing.js';
import { chooseDtype, planGenai, planHf, repoLayout } from '../../../src/inference/hub/select-files.js';

const files = (...paths: string[]): RemoteFile[] => paths.map((path) => ({ path, size: 1 }));

describe('file selection', () => {
  it('tells the layouts apart', () => {
    expect(repoLayout(files('config.json', 'onnx/model.onnx'), 'r/r')).toBe('hf');
    expect(repoLayout(files('genai_config.json', 'onnx/model.onnx'), 'r/r')).toBe('hf');
    expect(repoLayout(files('genai_config.json', 'model.onnx'), 'r/r')).toBe('genai');
    expect(() => repoLayout(files('config.json'), 'r/r')).toThrow(/not an ONNX export/);
  });

  it('uses the older merged-decoder names when there is no onnx/model*.onnx', () => {
    const plan = planHf(
      files(
        'config.json',
        'onnx/decoder_model_merged.onnx',
        'onnx/decoder_model_merged_quantized.onnx',
        'onnx/x.onnx',
      ),
      'r/r',
    );
    expect(plan).toEqual({
      dtype: 'quantized',
      files: files('config.json', 'onnx/decoder_model_merged_quantized.onnx'),
    });
  });

  it('pulls a Qwen3.5 export whole: every external-data part, the embedding and vision graphs, processor configs', () => {
    const repo = files(
      'config.json',
      'preprocessor_config.json',
      'video_preprocessor_config.json',
      'tokenizer.json',
      'onnx/decoder_model_merged_q4.onnx',
      'onnx/decoder_model_merged_q4.onnx_data',
      'onnx/decoder_model_merged_q4.onnx_data_1',
      'onnx/decoder_model_merged_fp16.onnx',
      'onnx/decoder_model_merged_fp16.onnx_data',
      'onnx/embed_tokens_q4.onnx',
      'onnx/embed_tokens_q4.onnx_data',
      'onnx/embed_tokens_fp16.onnx',
      'onnx/embed_tokens_fp16.onnx_data',
      'onnx/vision_encoder_fp16.onnx',
      'onnx/vision_encoder_fp16.onnx_data',
      'onnx/vision_encoder.onnx',
      'onnx/vision_encoder.onnx_data',
    );
    expect(planHf(repo, 'r/r', undefined, 'cpu').files.map((f) => f.path)).toEqual([
      'config.json',
      'tokenizer.json',
      'preprocessor_config.json',
      'video_preprocessor_config.json',
      'onnx/decoder_model_merged_q4.onnx',
      'onnx/decoder_model_merged_q4.onnx_data',
      'onnx/decoder_model_merged_q4.onnx_data_1',
      'onnx/embed_tokens_q4.onnx',
      'onnx/embed_tokens_q4.onnx_data',
      // No q4 vision encoder: the fp32 one.
      'onnx/vision_encoder.onnx',
      'onnx/vision_encoder.onnx_data',
    ]);
    const gpu = planHf(repo, 'r/r', undefined, 'cuda');
    expect(gpu.dtype).toBe('fp16');
    expect(gpu.files.map((f) => f.path).filter((p) => p.startsWith('onnx/'))).toEqual([
      'onnx/decoder_model_merged_fp16.onnx',
      'onnx/decoder_model_merged_fp16.onnx_data',
      'onnx/embed_tokens_fp16.onnx',
      'onnx/embed_tokens_fp16.onnx_data',
      'onnx/vision_encoder_fp16.onnx',
      'onnx/vision_encoder_fp16.onnx_data',
    ]);
  });

  it('ignores graphs in subfolders of onnx/ and data of other variants', () => {
    const plan = planHf(
      files(
        'onnx/model_q4.onnx',
        'onnx/model_q4.onnx_data',
        'onnx/sub/model_q4.onnx',
        'onnx/model_q4f16.onnx_data',
      ),
      'r/r',
      'q4',
    );
    expect(plan.files.map((f) => f.path)).toEqual(['onnx/model_q4.onnx', 'onnx/model_q4.onnx_data']);
  });

  it('leaves genai_config.json out of an HF-layout pull (the loader would read the folder as genai)', () => {
    const plan = planHf(files('config.json', 'genai_config.json', 'onnx/model.onnx'), 'r/r');
    expect(plan.files.map((f) => f.path)).toEqual(['config.json', 'onnx/model.onnx']);
  });

  it('chooses the asked dtype, else the device preference, else the first there is', () => {
    expect(chooseDtype(['fp32', 'q4'], 'r/r', 'fp32')).toBe('fp32');
    expect(chooseDtype(['fp32', 'q4'], 'r/r')).toBe('q4');
    expect(chooseDtype(['fp32', 'q4', 'fp16'], 'r/r', undefined, 'cuda')).toBe('fp16');
    expect(() => chooseDtype(['q4', 'fp32'], 'r/r', 'int8')).toThrow(
      'r/r has no int8 variant; it has: fp32, q4.',
    );
  });

  it('takes a genai graph in a subfolder with its data', () => {
    const remote = files('genai_config.json', 'cpu/model.onnx', 'cpu/model.onnx.data', 'gpu/model.onnx.data');
    expect(planGenai(remote, 'r/r', 'cpu/model.onnx').map((f) => f.path)).toEqual([
      'genai_config.json',
      'cpu/model.onnx',
      'cpu/model.onnx.data',
    ]);
  });
});
