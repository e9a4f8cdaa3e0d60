import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeHub, startFakeHub } from '../../helpers/fake-hub.js';
import { type ModelCommandRun, runModelCommand } from './model-cli.js';
import { GENAI_REPO, genaiRepo, HF_REPO, hfRepo, tempModelsDir } from './repos.js';
import { filesUnder } from './walk.js';

describe('teambot model (in process)', () => {
  let hub: FakeHub;
  let modelsDir: string;

  beforeEach(async () => {
    modelsDir = await tempModelsDir();
    hub = await startFakeHub({ repos: { [HF_REPO]: hfRepo(), [GENAI_REPO]: genaiRepo() } });
  });

  afterEach(async () => {
    await hub.close();
    await rm(modelsDir, { recursive: true, force: true });
  });

  const run = (args: string[], env: Record<string, string> = {}): Promise<ModelCommandRun> =>
    runModelCommand(args, {
      env: { HF_ENDPOINT: hub.url, MODELS_DIR: modelsDir, INFERENCE_DEVICE: 'cpu', ...env },
      signal: new AbortController().signal,
      retryDelayMs: 5,
    });

  it('pull downloads into MODELS_DIR/<owner>/<name>, printing progress lines and the directory', async () => {
    const result = await run(['pull', HF_REPO, '--dtype', 'q4']);
    const dir = join(modelsDir, HF_REPO);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(
      `Pulled ${HF_REPO} (q4, hf): 7 file(s) downloaded, 0 already complete, in ${dir}\n`,
    );
    expect(result.stderr).toContain('onnx/model_q4.onnx: downloaded, 30.0 kB (overall 100%)\n');
    expect(await filesUnder(join(dir, 'onnx'))).toEqual(['model_q4.onnx']);
  });

  it('pull takes --models-dir, --device and MODEL_DTYPE', async () => {
    const other = join(modelsDir, 'elsewhere');
    const byDevice = await run(['pull', HF_REPO, '--models-dir', other, '--device', 'cuda']);
    expect(byDevice.stdout).toContain(`(fp16, hf)`);
    expect(byDevice.stdout).toContain(join(other, HF_REPO));
    const byEnv = await run(['pull', HF_REPO], { MODEL_DTYPE: 'int8' });
    expect(byEnv.stdout).toContain('(int8, hf)');
  });

  it('pull notes that --dtype does not apply to a genai export', async () => {
    const result = await run(['pull', GENAI_REPO, '--dtype', 'q4']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`Pulled ${GENAI_REPO} (genai)`);
    expect(result.stderr).toContain('--dtype does not apply');
  });

  it('pull errors are one line on stderr and exit code 1', async () => {
    const missing = await run(['pull', 'acme/nothing']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toBe(
      `teambot model pull: Model acme/nothing was not found on ${hub.url} (HTTP 404). Check the id (owner/name); if the model is private or gated, set HF_TOKEN to an access token.\n`,
    );
    const badDtype = await run(['pull', HF_REPO, '--dtype', 'bnb4']);
    expect(badDtype.stderr).toMatch(
      /^teambot model pull: .* has no bnb4 variant; it has: fp32, fp16, q4, q4f16, int8\./,
    );
    const badEnv = await run(['pull', HF_REPO], { MODELS_DIR: ' ' });
    expect(badEnv.stderr).toBe('teambot model pull: MODELS_DIR: expected a directory path, got " "\n');
    expect(badEnv.exitCode).toBe(1);
  });

  it('pull rejects an unknown --dtype before doing anything', async () => {
    const result = await run(['pull', HF_REPO, '--dtype', 'q3']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("argument 'q3' is invalid. Allowed choices are fp32, fp16");
    expect(hub.requests).toEqual([]);
  });

  it('list prints a table, or JSON', async () => {
    expect((await run(['list'])).stdout).toBe(
      `No models in ${modelsDir}. Fetch one with: teambot model pull <owner/name>\n`,
    );
    await run(['pull', HF_REPO, '--dtype', 'q4']);
    await run(['pull', GENAI_REPO]);
    const table = await run(['list']);
    expect(table.stdout.split('\n')).toEqual([
      'ID                           LAYOUT  DTYPES  SIZE',
      'microsoft/tiny-lm-genai      genai   -       53.2 kB',
      expect.stringMatching(/^onnx-community\/Tiny-LM-ONNX {2}hf {6}q4 {6}30\.\d kB$/),
      '',
    ]);
    const json = JSON.parse((await run(['list', '--json', '--models-dir', modelsDir])).stdout);
    expect(json).toEqual([
      expect.objectContaining({ id: GENAI_REPO, layout: 'genai', dtypes: [] }),
      expect.objectContaining({ id: HF_REPO, layout: 'hf', dtypes: ['q4'], dir: join(modelsDir, HF_REPO) }),
    ]);
  });
});
