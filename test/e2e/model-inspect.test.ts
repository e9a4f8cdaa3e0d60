import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelInspection } from '../../src/inference/model/inspect.js';
import { type CliProcess, runCli } from '../helpers/cli-process.js';
import { demoModelDir, GPT2_DIR, QWEN_DIR } from '../inference/model/support.js';

interface Result {
  code: number | string;
  stdout: string;
  stderr: string;
}

/** Runs `teambot model inspect ...` to the end, output streams drained. */
async function inspect(...args: string[]): Promise<Result> {
  const cli: CliProcess = runCli(['model', 'inspect', ...args]);
  const code = await cli.exited;
  await Promise.all([finished(cli.child.stdout), finished(cli.child.stderr)]);
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

let demoDir: string;
beforeAll(async () => {
  demoDir = await demoModelDir();
});

describe('teambot model inspect (a child process)', { timeout: 60_000 }, () => {
  it('prints the layout, kv cache, variants and graph IO of the Qwen fixture', async () => {
    const { code, stdout, stderr } = await inspect(QWEN_DIR);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`directory       ${QWEN_DIR}`);
    expect(lines).toContain('layout          onnxruntime-genai (model_type qwen2)');
    expect(lines).toContain('context length  128');
    expect(lines).toContain('kv cache        2 layers, separate, float16, 2 kv heads x 16');
    expect(stdout).toMatch(/^vocabulary {6}1000 \(tokenizer: 50295 tokens, chat template: yes, eos 2\)$/m);
    expect(stdout).toMatch(/^ {2}single {4}decoder\.onnx +\S+ kB$/m);
    expect(lines).toContain('inputs (decoder.onnx)');
    expect(stdout).toMatch(/^ {2}attention_mask +int64 +\[batch_size, total_seq_len\]$/m);
    expect(stdout).toMatch(/^ {2}past_key_values\.1\.value +float16 +\[batch_size, 2, past_seq_len, 16\]$/m);
    expect(stdout).toMatch(/^ {2}logits +float16 +\[batch_size, seq_len, 1000\]$/m);
    expect(stdout).not.toContain('position_ids');
    // Inputs come before outputs, each tensor once.
    expect(lines.indexOf('outputs')).toBeGreaterThan(lines.indexOf('inputs (decoder.onnx)'));
    expect(lines.filter((l) => l.trimStart().startsWith('present.')).length).toBe(4);
  });

  it('prints both variants of the demo model and the one --dtype opened', async () => {
    const { code, stdout, stderr } = await inspect(demoDir, '--dtype', 'fp32');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('layout          Hugging Face / onnx-community (model_type llama)');
    expect(stdout).toMatch(/^ {2}fp32 {6}onnx\/model\.onnx +\S+ kB$/m);
    expect(stdout).toMatch(/^ {2}q4 {8}onnx\/model_q4\.onnx +\S+ kB$/m);
    expect(stdout).toContain('inputs (onnx/model.onnx, fp32)');
    expect(stdout).toMatch(/^ {2}position_ids +int64 +\[batch_size, sequence_length\]$/m);
  });

  it('--json prints the whole inspection as JSON', async () => {
    const { code, stdout, stderr } = await inspect(GPT2_DIR, '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const info = JSON.parse(stdout) as ModelInspection;
    expect(info).toMatchObject({
      dir: GPT2_DIR,
      layout: 'genai',
      modelType: 'gpt2',
      contextLength: 512,
      vocabSize: 1000,
      loaded: { file: 'past.onnx', device: 'cpu' },
      kvCache: { layout: 'stacked', dtype: 'float32', layers: 5, kvHeads: 4, headDim: 8 },
      tokenizer: { size: 50295, chatTemplate: false, eosTokenIds: [98] },
    });
    expect(info.variants).toEqual([
      { dtype: 'single', file: 'past.onnx', sizeBytes: (await stat(join(GPT2_DIR, 'past.onnx'))).size },
    ]);
    expect(info.inputs.slice(0, 4)).toEqual([
      { name: 'input_ids', type: 'int32', shape: ['batch_size', 'seq_len'] },
      { name: 'position_ids', type: 'int32', shape: ['batch_size', 'seq_len'] },
      { name: 'attention_mask', type: 'int32', shape: ['batch_size', 'total_seq_len'] },
      { name: 'past_0', type: 'float32', shape: [2, 'batch_size', 4, 'past_seq_len', 8] },
    ]);
    expect(info.outputs.map((o) => o.name)).toEqual([
      'logits',
      'present_0',
      'present_1',
      'present_2',
      'present_3',
      'present_4',
    ]);
  });

  it('a missing directory: exit code 1 and one clear line on stderr', async () => {
    const missing = join(demoDir, 'no-such-model');
    const { code, stdout, stderr } = await inspect(missing);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`teambot model inspect: Model directory ${missing} does not exist.\n`);
  });

  it('a variant the model lacks: exit code 1 and one line listing the present ones', async () => {
    const { code, stdout, stderr } = await inspect(demoDir, '--dtype', 'fp16');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^teambot model inspect: .* has no fp16 variant; it has: fp32, q4\./);
  });

  it('an unknown --dtype is refused with the accepted ones', async () => {
    const { code, stdout, stderr } = await inspect(demoDir, '--dtype', 'q3');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain("argument 'q3' is invalid");
    expect(stderr).toContain('fp32, fp16, q4, q4f16, int8, uint8, quantized, bnb4');
  });
});
