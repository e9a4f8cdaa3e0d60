import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullModel } from '../../../src/inference/hub/pull.js';
import { type FakeHub, startFakeHub } from '../../helpers/fake-hub.js';
import { bytes, HF_REPO, hfRepo, tempModelsDir } from './repos.js';
import { filesUnder } from './walk.js';

const PRIVATE = 'acme/private-lm';

describe('pullModel errors', () => {
  let hub: FakeHub;
  let modelsDir: string;

  beforeAll(async () => {
    modelsDir = await tempModelsDir();
    hub = await startFakeHub({
      repos: {
        [HF_REPO]: hfRepo(),
        [PRIVATE]: { ...hfRepo(), token: 'hf_right' },
        'acme/pytorch-only': { files: { 'config.json': '{}', 'model.safetensors': bytes(1, 3000) } },
        'acme/odd-onnx': { files: { 'config.json': '{}', 'onnx/vision_encoder.onnx': bytes(1, 3000) } },
        'acme/bad-genai': { files: { 'genai_config.json': JSON.stringify({ model: { decoder: {} } }) } },
        'acme/missing-graph': {
          files: { 'genai_config.json': JSON.stringify({ model: { decoder: { filename: 'model.onnx' } } }) },
        },
      },
    });
  });

  afterAll(async () => {
    await hub.close();
    await rm(modelsDir, { recursive: true, force: true });
  });

  const pull = (repo: string, extra: Partial<Parameters<typeof pullModel>[0]> = {}) =>
    pullModel({ repo, modelsDir, endpoint: hub.url, token: '', ...extra });

  it('says a missing repo was not found, naming it and the endpoint', async () => {
    await expect(pull('acme/nothing-here')).rejects.toMatchObject({
      code: 'repo_not_found',
      message: `Model acme/nothing-here was not found on ${hub.url} (HTTP 404). Check the id (owner/name); if the model is private or gated, set HF_TOKEN to an access token.`,
    });
  });

  it('says a missing revision was not found', async () => {
    await expect(pull(HF_REPO, { revision: 'v9' })).rejects.toMatchObject({
      code: 'revision_not_found',
      message: expect.stringContaining('Revision "v9" of onnx-community/Tiny-LM-ONNX was not found'),
    });
  });

  it('asks for HF_TOKEN on a 401 without a token, and blames the token with a wrong one', async () => {
    await expect(pull(PRIVATE)).rejects.toMatchObject({
      code: 'unauthorized',
      message: expect.stringMatching(
        /requires authentication to read acme\/private-lm \(HTTP 401.*set HF_TOKEN/,
      ),
    });
    await expect(pull(PRIVATE, { token: 'hf_wrong' })).rejects.toMatchObject({
      code: 'unauthorized',
      message: expect.stringContaining('rejected the token in HF_TOKEN (HTTP 401'),
    });
    await expect(pull(PRIVATE, { token: 'hf_right', dtype: 'q4' })).resolves.toMatchObject({ dtype: 'q4' });
  });

  it('explains gated repos and other statuses (status from an injected fetch)', async () => {
    const answer =
      (status: number, headers: Record<string, string> = {}): typeof fetch =>
      async () =>
        new Response(JSON.stringify({ error: 'nope' }), { status, headers });
    await expect(
      pull(HF_REPO, { fetch: answer(403, { 'x-error-code': 'GatedRepo' }) }),
    ).rejects.toMatchObject({
      code: 'gated',
      message: expect.stringContaining(`Accept its conditions on ${hub.url}/${HF_REPO}`),
    });
    await expect(pull(HF_REPO, { fetch: answer(403) })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(pull(HF_REPO, { fetch: answer(404) })).rejects.toMatchObject({ code: 'repo_not_found' });
    await expect(pull(HF_REPO, { fetch: answer(429) })).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(pull(HF_REPO, { fetch: answer(502) })).rejects.toMatchObject({
      code: 'server_error',
      message: `${hub.url} answered HTTP 502 for the file listing of ${HF_REPO}: nope.`,
    });
  });

  it('names the endpoint it cannot reach and suggests HF_ENDPOINT or offline use', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    await expect(pull(HF_REPO, { endpoint })).rejects.toMatchObject({
      code: 'unreachable',
      message: expect.stringMatching(
        new RegExp(`^Cannot reach ${endpoint} \\(.*ECONNREFUSED.*HF_ENDPOINT.*offline`),
      ),
    });
  });

  it('refuses ids that are not owner/name and endpoints that are not http(s)', async () => {
    for (const repo of ['just-a-name', '../etc/passwd', 'a/../b', 'a/b/c', 'owner/na me']) {
      await expect(pull(repo)).rejects.toMatchObject({ code: 'bad_repo_id' });
    }
    await expect(pull(HF_REPO, { endpoint: 'ftp://hub.example' })).rejects.toMatchObject({
      code: 'bad_endpoint',
    });
  });

  it('refuses repos that hold no ONNX model teambot can run', async () => {
    await expect(pull('acme/pytorch-only')).rejects.toMatchObject({
      code: 'not_onnx',
      message: expect.stringContaining('no onnx/ folder and no genai_config.json'),
    });
    await expect(pull('acme/odd-onnx')).rejects.toMatchObject({
      code: 'not_onnx',
      message: expect.stringContaining('it holds: onnx/vision_encoder.onnx'),
    });
  });

  it('refuses a genai_config.json without a usable graph', async () => {
    await expect(pull('acme/bad-genai')).rejects.toMatchObject({ code: 'bad_genai_config' });
    await expect(pull('acme/missing-graph')).rejects.toMatchObject({
      code: 'bad_genai_config',
      message: expect.stringContaining('names the graph model.onnx, which the repo does not have'),
    });
  });

  it('writes nothing for a failed listing', async () => {
    expect(await filesUnder(`${modelsDir}/acme/nothing-here`)).toEqual([]);
  });
});
