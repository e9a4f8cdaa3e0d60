import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-process.js';
import { collect, openBatched } from '../inference/batching/support.js';
import { generatedModelDir } from '../inference/hybrid/models.js';
import { demoModelDir } from '../inference/onnx/models.js';
import { picture } from '../inference/vision/support.js';

let dir: string;
let files: string;
beforeAll(async () => {
  dir = await generatedModelDir('qwen3_5');
  files = await mkdtemp(join(tmpdir(), 'teambot-generate-image-'));
  await writeFile(join(files, 'a.png'), await picture(130, 90, 1));
  await writeFile(join(files, 'b.png'), await picture(64, 64, 2));
  await writeFile(join(files, 'notes.txt'), 'not a picture');
});
afterAll(async () => {
  await rm(files, { recursive: true, force: true });
});

async function generate(model: string, args: string[]) {
  const cli = runCli(['generate', '--model', model, '--device', 'cpu', '--dtype', 'fp32', ...args]);
  const code = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

describe('teambot generate --image (a child process)', () => {
  it('--image twice with --json: the answer the engine gives in process to both images and the prompt', async () => {
    const question = 'Which one is brighter?';
    const { code, stdout, stderr } = await generate(dir, [
      '--prompt',
      question,
      '--image',
      join(files, 'a.png'),
      '--image',
      join(files, 'b.png'),
      '--max-new-tokens',
      '8',
      '--temperature',
      '0',
      '--json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { prompt_ids: number[]; tokens: number[]; text: string };
    const engine = await openBatched(dir);
    try {
      const images = [await picture(130, 90, 1), await picture(64, 64, 2)].map((data) => ({
        data,
        mimeType: 'image/png',
      }));
      const { result } = await collect(
        engine.generate({
          messages: [{ role: 'user', content: question, images }],
          maxTokens: 8,
          temperature: 0,
        }),
      );
      expect(out.prompt_ids).toEqual(result.promptTokenIds);
      expect(out.tokens).toEqual(result.tokenIds);
      expect(out.text).toBe(result.text);
      const text = engine.model.tokenizer.tokenizer.decode(out.prompt_ids, { skipSpecialTokens: false });
      expect(text.match(/<\|vision_start\|>/g)).toHaveLength(2);
    } finally {
      await engine.close();
    }
  });

  it('refuses a file that is not an image, and a model that does not see', async () => {
    const notImage = await generate(dir, ['--prompt', 'hi', '--image', join(files, 'notes.txt')]);
    expect(notImage.code).toBe(1);
    expect(notImage.stderr).toContain('not an image');
    const textOnly = await generate(await demoModelDir(), [
      '--prompt',
      'hi',
      '--image',
      join(files, 'a.png'),
    ]);
    expect(textOnly.code).toBe(1);
    expect(textOnly.stderr).toContain('does not look at images');
  });
});
