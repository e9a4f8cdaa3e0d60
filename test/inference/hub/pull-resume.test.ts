import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pullModel } from '../../../src/inference/hub/pull.js';
import { type FakeHub, startFakeHub } from '../../helpers/fake-hub.js';
import { bytes, HF_REPO, hfRepo, tempModelsDir } from './repos.js';
import { filesUnder } from './walk.js';

const Q4 = 'onnx/model_q4.onnx';

describe('pullModel downloads', () => {
  let hub: FakeHub;
  let modelsDir: string;
  let dir: string;
  const repo = hfRepo();
  const q4 = () => new Uint8Array(Buffer.from(repo.files[Q4] ?? ''));
  const pull = (extra: Partial<Parameters<typeof pullModel>[0]> = {}) =>
    pullModel({ repo: HF_REPO, dtype: 'q4', modelsDir, endpoint: hub.url, retryDelayMs: 5, ...extra });

  beforeEach(async () => {
    modelsDir = await tempModelsDir();
    dir = join(modelsDir, HF_REPO);
    hub = await startFakeHub({ repos: { [HF_REPO]: repo } });
  });

  afterEach(async () => {
    await hub.close();
    await rm(modelsDir, { recursive: true, force: true });
  });

  it('leaves the part of an interrupted download and resumes it with a Range request', async () => {
    hub.failAfter(Q4, 12_000);
    await expect(pull({ retries: 0 })).rejects.toMatchObject({
      code: 'interrupted',
      message: expect.stringContaining('Run the same command again to resume'),
    });
    const partSize = (await stat(join(dir, `${Q4}.part`))).size;
    expect(partSize).toBe(12_000);
    expect(await filesUnder(join(dir, 'onnx'))).toEqual(['model_q4.onnx.part']);

    const result = await pull();
    expect(result.files.find((f) => f.path === Q4)?.downloaded).toBe(true);
    expect(hub.downloadsOf(HF_REPO, Q4).map((r) => r.range)).toEqual([undefined, `bytes=${partSize}-`]);
    expect(new Uint8Array(await readFile(join(dir, Q4)))).toEqual(q4());
    expect(await filesUnder(join(dir, 'onnx'))).toEqual(['model_q4.onnx']);
  });

  it('retries an interrupted transfer by itself, resuming where it stopped', async () => {
    hub.failAfter(Q4, 7_000, 2);
    await pull();
    const ranges = hub.downloadsOf(HF_REPO, Q4).map((r) => r.range);
    expect(ranges).toEqual([undefined, 'bytes=7000-', 'bytes=14000-']);
    expect(new Uint8Array(await readFile(join(dir, Q4)))).toEqual(q4());
  });

  it('starts over when the server ignores the range (200 instead of 206)', async () => {
    await pull();
    await rm(join(dir, Q4));
    await writeFile(join(dir, `${Q4}.part`), Buffer.from(q4().subarray(0, 5_000)));
    const noRange: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      headers.delete('range');
      return fetch(input, { ...init, headers });
    };
    await pull({ fetch: noRange });
    expect(new Uint8Array(await readFile(join(dir, Q4)))).toEqual(q4());
  });

  it('skips the files already complete on a second pull', async () => {
    await pull();
    const before = hub.requests.length;
    const second = await pull();
    expect(second.files.every((f) => !f.downloaded)).toBe(true);
    expect(hub.requests.slice(before).map((r) => r.path)).toEqual([`/api/models/${HF_REPO}/tree/main`]);
  });

  it('replaces a complete-looking file of the wrong size', async () => {
    await pull();
    await writeFile(join(dir, 'config.json'), '{}');
    const again = await pull();
    expect(again.files.filter((f) => f.downloaded).map((f) => f.path)).toEqual(['config.json']);
    expect(await readFile(join(dir, 'config.json'), 'utf8')).toBe(repo.files['config.json']);
  });

  it('fails clearly on a size mismatch, leaving neither the file nor its part', async () => {
    hub.serveInstead(Q4, bytes(99, 29_000));
    await expect(pull()).rejects.toMatchObject({
      code: 'size_mismatch',
      message: expect.stringMatching(/onnx\/model_q4\.onnx .* has 29000 bytes where the listing says 30000/),
    });
    expect(await filesUnder(join(dir, 'onnx'))).toEqual([]);
  });

  it('counts the bytes itself when the server sends no Content-Length', async () => {
    hub.serveInstead(Q4, bytes(99, 31_000));
    const noLength: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const headers = new Headers(response.headers);
      headers.delete('content-length');
      return new Response(response.body, { status: response.status, headers });
    };
    await expect(pull({ fetch: noLength })).rejects.toMatchObject({ code: 'size_mismatch' });
    expect(await filesUnder(join(dir, 'onnx'))).toEqual([]);
  });

  it('keeps the part when aborted, and a later pull completes it', async () => {
    const controller = new AbortController();
    const aborted = pull({
      signal: controller.signal,
      onProgress: (event) => {
        if (event.file === Q4 && event.state === 'start') controller.abort();
      },
    });
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    expect(await filesUnder(join(dir, 'onnx'))).toEqual(['model_q4.onnx.part']);
    await pull();
    expect(new Uint8Array(await readFile(join(dir, Q4)))).toEqual(q4());
  });
});
