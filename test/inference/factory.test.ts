import { describe, expect, it } from 'vitest';
import { createEngine, type EngineConfig } from '../../src/inference/factory.js';
import { OpenAICompatibleEngine } from '../../src/inference/openai/engine.js';
import { UnconfiguredEngine } from '../../src/inference/unconfigured.js';

const base: EngineConfig = {
  OPENAI_BASE_URL: undefined,
  OPENAI_API_KEY: undefined,
  OPENAI_MODEL: undefined,
  INFERENCE_TIMEOUT_MS: 120_000,
  CONTEXT_LENGTH: 8192,
  MODEL: undefined,
};

describe('createEngine', () => {
  it('builds the OpenAI-compatible engine when OPENAI_BASE_URL is set', () => {
    const engine = createEngine({
      ...base,
      OPENAI_BASE_URL: 'http://localhost:8000/v1',
      OPENAI_MODEL: 'qwen',
    });
    expect(engine).toBeInstanceOf(OpenAICompatibleEngine);
    expect(engine.info()).toEqual({ name: 'openai', model: 'qwen', contextLength: 8192 });
  });

  it('builds the unconfigured engine otherwise, even with MODEL set', async () => {
    expect(createEngine(base)).toBeInstanceOf(UnconfiguredEngine);
    const withModel = createEngine({ ...base, MODEL: 'some/model' });
    expect(withModel).toBeInstanceOf(UnconfiguredEngine);
    expect((await withModel.status()).detail).toContain('MODEL is set');
  });

  it('passes the injected fetch to the OpenAI engine', async () => {
    const urls: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      urls.push(String(input));
      return Response.json({ data: [{ id: 'x' }] });
    };
    const engine = createEngine(
      { ...base, OPENAI_BASE_URL: 'http://inference.test/v1/' },
      { fetch: fakeFetch },
    );
    expect((await engine.status()).ready).toBe(true);
    expect(urls).toEqual(['http://inference.test/v1/models']);
  });
});
