import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, DEMO_NOTICE, type EngineConfig } from '../../src/inference/factory.js';
import { NoticeEngine } from '../../src/inference/notice-engine.js';
import { OnnxEngine } from '../../src/inference/onnx/engine.js';
import { OpenAICompatibleEngine } from '../../src/inference/openai/engine.js';
import { ThreadEngine } from '../../src/inference/thread/thread-engine.js';
import { UnconfiguredEngine } from '../../src/inference/unconfigured.js';
import { demoModelDir } from './onnx/models.js';

let modelsDir: string;
let base: EngineConfig;

beforeAll(async () => {
  modelsDir = await mkdtemp(join(tmpdir(), 'teambot-factory-'));
  base = {
    OPENAI_BASE_URL: undefined,
    OPENAI_API_KEY: undefined,
    OPENAI_MODEL: undefined,
    INFERENCE_TIMEOUT_MS: 120_000,
    CONTEXT_LENGTH: 8192,
    MODEL: undefined,
    MODELS_DIR: modelsDir,
    MODEL_DTYPE: 'auto',
    INFERENCE_DEVICE: 'cpu',
    INFERENCE_THREADS: 1,
    INFERENCE_SPIN: true,
    BATCH_MAX_SIZE: 4,
    BATCH_MAX_WAITING: 8,
    BATCH_MAX_TOKENS_IN_FLIGHT: 65_536,
    BATCH_PER_USER_MAX: 2,
    MAX_NEW_TOKENS: 16,
    TEMPERATURE: 0,
    INFERENCE_THREAD: false,
    HF_ENDPOINT: undefined,
    HF_TOKEN: undefined,
  };
});
afterAll(() => rm(modelsDir, { recursive: true, force: true }));

/** A fetch that fails like an offline machine: the hub cannot be reached. */
const offline: typeof fetch = async () => {
  throw new TypeError('fetch failed', { cause: new Error('getaddrinfo EAI_AGAIN huggingface.co') });
};

describe('createEngine', () => {
  it('builds the OpenAI-compatible engine when OPENAI_BASE_URL is set', async () => {
    const engine = await createEngine({
      ...base,
      OPENAI_BASE_URL: 'http://localhost:8000/v1',
      OPENAI_MODEL: 'qwen',
    });
    expect(engine).toBeInstanceOf(OpenAICompatibleEngine);
    expect(engine.info()).toEqual({ name: 'openai', model: 'qwen', contextLength: 8192 });
  });

  it('passes the injected fetch to the OpenAI engine', async () => {
    const urls: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      urls.push(String(input));
      return Response.json({ data: [{ id: 'x' }] });
    };
    const engine = await createEngine(
      { ...base, OPENAI_BASE_URL: 'http://inference.test/v1/' },
      { fetch: fakeFetch },
    );
    expect((await engine.status()).ready).toBe(true);
    expect(urls).toEqual(['http://inference.test/v1/models']);
  });

  it('turns the local engine off with MODEL=none', async () => {
    const engine = await createEngine({ ...base, MODEL: 'none' });
    expect(engine).toBeInstanceOf(UnconfiguredEngine);
  });

  it('runs a model directory on the local ONNX engine and reports the device', async () => {
    const dir = await demoModelDir();
    const choices: unknown[] = [];
    const engine = await createEngine({ ...base, MODEL: dir }, { onDevice: (c) => choices.push(c) });
    try {
      expect(engine).toBeInstanceOf(OnnxEngine);
      expect(choices).toEqual([expect.objectContaining({ device: 'cpu', reason: 'INFERENCE_DEVICE=cpu' })]);
      const generation = engine.generate({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 4 });
      expect((await generation.result).usage.completionTokens).toBeGreaterThan(0);
    } finally {
      await engine.close();
    }
  });

  it('runs the local engine in its own thread with INFERENCE_THREAD=true', async () => {
    const dir = await demoModelDir();
    const choices: unknown[] = [];
    const engine = await createEngine(
      { ...base, MODEL: dir, INFERENCE_THREAD: true },
      { onDevice: (c) => choices.push(c) },
    );
    try {
      expect(engine).toBeInstanceOf(ThreadEngine);
      expect(choices).toEqual([expect.objectContaining({ device: 'cpu', reason: 'INFERENCE_DEVICE=cpu' })]);
      const generation = engine.generate({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 4 });
      expect((await generation.result).usage.completionTokens).toBeGreaterThan(0);
    } finally {
      await engine.close();
    }
  });

  it('falls back to the demo model, loudly, when the default model cannot be pulled (offline)', async () => {
    const engine = await createEngine(base, { fetch: offline });
    try {
      expect(engine).toBeInstanceOf(NoticeEngine);
      expect((await engine.status()).detail).toContain(DEMO_NOTICE);
      const first = engine.generate({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 4 });
      const chunks: string[] = [];
      for await (const chunk of first) chunks.push(chunk);
      expect(chunks[0]).toBe(`${DEMO_NOTICE}\n\n`);
      expect((await first.result).text.startsWith(DEMO_NOTICE)).toBe(true);
      const second = await engine.generate({ messages: [{ role: 'user', content: 'again' }], maxTokens: 4 })
        .result;
      expect(second.text).not.toContain(DEMO_NOTICE);
    } finally {
      await engine.close();
    }
  });
});
