import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderText } from '../../src/inference/ocr/testset/render.js';
import { createRng } from '../../src/inference/sampling/rng.js';
import { runCli } from '../helpers/cli-process.js';

async function ocr(...args: string[]) {
  const cli = runCli(['ocr', ...args], { INFERENCE_DEVICE: 'cpu', INFERENCE_THREADS: '1' });
  const code = await cli.exited;
  await Promise.all([finished(cli.child.stdout), finished(cli.child.stderr)]);
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

const LINES = ['Disk quota exceeded on /var/log', '磁盘空间不足，请清理日志'];
let dir: string;
let image: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'teambot-ocr-cli-'));
  image = join(dir, 'screenshot.png');
  const style = { font: 'Noto Sans CJK SC', size: 26, angle: 0, noise: 4, dark: false };
  await writeFile(image, await renderText(LINES, style, createRng(9)));
});

describe('teambot ocr (a child process)', { timeout: 60_000 }, () => {
  it('prints the text of an image, line by line', async () => {
    const { code, stdout } = await ocr(image);
    expect(code).toBe(0);
    expect(stdout).toBe(`${LINES.join('\n')}\n`);
  });

  it('prints lines with boxes and confidences with --json', async () => {
    const { code, stdout } = await ocr(image, '--json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      text: string;
      width: number;
      lines: { text: string; confidence: number; box: [number, number][] }[];
      device: string;
    };
    expect(result.text).toBe(LINES.join('\n'));
    expect(result.device).toBe('cpu');
    expect(result.lines.map((l) => l.text)).toEqual(LINES);
    for (const line of result.lines) {
      expect(line.confidence).toBeGreaterThan(0.8);
      expect(line.box).toHaveLength(4);
      for (const [x] of line.box) expect(x).toBeLessThanOrEqual(result.width + 2);
    }
  });

  it('fails with a clear message for a missing file, a file that is not an image, and a video', async () => {
    const missing = await ocr(join(dir, 'nope.png'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`teambot ocr: no such file: ${join(dir, 'nope.png')}`);
    const text = join(dir, 'notes.txt');
    await writeFile(text, 'not an image');
    const bad = await ocr(text);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/teambot ocr: Cannot read the image: .+/);
    expect(bad.stdout).toBe('');
    const video = join(dir, 'clip.mp4');
    await writeFile(video, 'x');
    expect((await ocr(video)).stderr).toContain('teambot ocr: videos are read through their keyframes');
  });
});
