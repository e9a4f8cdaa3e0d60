import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../src/inference/text/load-tokenizer.js';
import { runCli } from '../helpers/cli-process.js';
import { demoModelDir, GPT2_FIXTURE } from '../inference/onnx/models.js';

let dir: string;
beforeAll(async () => {
  dir = await demoModelDir();
});

interface GenerateJson {
  text: string;
  prompt_ids: number[];
  tokens: number[];
  finish_reason: string;
  usage: { prompt_tokens: number; completion_tokens: number };
  device: string;
  timings: { prefillMs: number; firstTokenMs: number; decodeMs: number; decodeRunMs: number };
}

async function generate(args: string[]) {
  const cli = runCli(['generate', '--model', dir, '--device', 'cpu', ...args]);
  const code = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

describe('teambot generate (a child process)', () => {
  it('--json prints one object: text, prompt ids (chat template applied), tokens, finish reason, timings', async () => {
    const { code, stdout } = await generate([
      '--prompt',
      'Hello there',
      '--max-new-tokens',
      '8',
      '--temperature',
      '0',
      '--json',
    ]);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0] as string) as GenerateJson;
    const { tokenizer } = await loadTokenizer(dir);
    expect(out.prompt_ids).toEqual(
      tokenizer.encode('<|im_start|>user\nHello there<|im_end|>\n<|im_start|>assistant\n'),
    );
    expect(out.tokens.length).toBeGreaterThan(0);
    expect(out.tokens.length).toBeLessThanOrEqual(8);
    expect(out.text).toBe(tokenizer.decode(out.tokens, { skipSpecialTokens: true }));
    expect(['stop', 'length']).toContain(out.finish_reason);
    expect(out.usage).toEqual({ prompt_tokens: out.prompt_ids.length, completion_tokens: out.tokens.length });
    expect(out.device).toBe('cpu');
    expect(out.timings.firstTokenMs).toBeGreaterThan(0);
    expect(out.timings.decodeRunMs).toBeLessThanOrEqual(out.timings.decodeMs);
  });

  it('--raw tokenizes the prompt as is; streaming prints the same text as --json', async () => {
    const args = ['--prompt', 'The cat sat on', '--raw', '--max-new-tokens', '12', '--temperature', '0'];
    const json = JSON.parse((await generate([...args, '--json'])).stdout) as GenerateJson;
    const { tokenizer } = await loadTokenizer(dir);
    expect(json.prompt_ids).toEqual(tokenizer.encode('The cat sat on'));
    const streamed = await generate([...args, '--system', 'ignored with --raw']);
    expect(streamed.code).toBe(0);
    expect(streamed.stdout).toBe(`${json.text}\n`);
  });

  it('the same seed gives the same sampled tokens', async () => {
    const args = [
      '--prompt',
      'Tell me',
      '--max-new-tokens',
      '10',
      '--temperature',
      '1',
      '--top-p',
      '0.9',
      '--top-k',
      '40',
      '--seed',
      '5',
      '--json',
    ];
    const [a, b] = await Promise.all([generate(args), generate(args)]);
    expect((JSON.parse(a.stdout) as GenerateJson).tokens).toEqual(
      (JSON.parse(b.stdout) as GenerateJson).tokens,
    );
  });

  it('fails with one clear line: missing model, unavailable device, tokens beyond the vocabulary, bad flags', async () => {
    // Four child processes at once: each spends seconds starting, not failing.
    const missing = runCli(['generate', '--model', '/no/such/dir', '--prompt', 'hi']);
    const vocab = runCli([
      'generate',
      '--model',
      GPT2_FIXTURE,
      '--device',
      'cpu',
      '--raw',
      '--prompt',
      '你好',
    ]);
    const [cuda, flag] = await Promise.all([
      generate(['--prompt', 'hi', '--device', 'cuda']),
      generate(['--prompt', 'hi', '--temperature', 'hot']),
    ]);
    expect(await missing.exited).toBe(1);
    expect(missing.stderr()).toBe(
      'teambot generate: MODEL "/no/such/dir" is neither an existing directory nor a Hugging Face id (owner/name), nor "demo".\n',
    );
    expect(cuda.code).toBe(1);
    expect(cuda.stderr).toMatch(
      /^teambot generate: INFERENCE_DEVICE=cuda is unavailable: .*--onnxruntime-node-install=cuda12/,
    );
    expect(await vocab.exited).toBe(1);
    expect(vocab.stderr()).toMatch(/the tokenizer does not match the model/);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain("option '--temperature <t>' argument 'hot' is invalid");
  });
});
