import { mkdir, mkdtemp, readdir, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModelDirName, ensureDemoModel } from '../../../src/inference/demo/index.js';

describe('ensureDemoModel', () => {
  let cacheDir: string;
  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'teambot-demo-ensure-'));
  });
  afterAll(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('generates once, even when called concurrently, and leaves no temporary folders', async () => {
    const progress: string[] = [];
    const dirs = await Promise.all(
      [0, 1, 2].map(() =>
        ensureDemoModel({ size: 'tiny', cacheDir, seed: 3, onProgress: (m) => progress.push(m) }),
      ),
    );
    const expected = join(cacheDir, demoModelDirName('tiny', 3));
    expect(dirs).toEqual([expected, expected, expected]);
    expect(await readdir(cacheDir)).toEqual([demoModelDirName('tiny', 3)]);
    expect(progress.some((m) => m.includes('weights'))).toBe(true);

    const before = (await stat(join(expected, 'onnx', 'model.onnx'))).mtimeMs;
    const again = await ensureDemoModel({ size: 'tiny', cacheDir, seed: 3 });
    expect(again).toBe(expected);
    expect((await stat(join(expected, 'onnx', 'model.onnx'))).mtimeMs).toBe(before);
  });

  it('removes temporary folders a killed process left behind', async () => {
    const stale = join(cacheDir, `.${demoModelDirName('tiny', 4)}.tmp-dead`);
    const fresh = join(cacheDir, `.${demoModelDirName('tiny', 4)}.tmp-busy`);
    await mkdir(stale);
    await mkdir(fresh);
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await utimes(stale, twoHoursAgo, twoHoursAgo);
    await ensureDemoModel({ size: 'tiny', cacheDir, seed: 4 });
    const entries = await readdir(cacheDir);
    expect(entries).not.toContain(`.${demoModelDirName('tiny', 4)}.tmp-dead`);
    expect(entries).toContain(`.${demoModelDirName('tiny', 4)}.tmp-busy`);
    expect((await stat(join(cacheDir, demoModelDirName('tiny', 4)))).mode & 0o777).toBe(0o755);
    await rm(fresh, { recursive: true });
  });

  it('rejects a negative or fractional seed', async () => {
    await expect(ensureDemoModel({ size: 'tiny', cacheDir, seed: -1 })).rejects.toThrow(/seed/);
    await expect(ensureDemoModel({ size: 'tiny', cacheDir, seed: 1.5 })).rejects.toThrow(/seed/);
  });
});
