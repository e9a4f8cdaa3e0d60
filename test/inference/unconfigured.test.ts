import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/inference/errors.js';
import { UnconfiguredEngine, unconfiguredMessage } from '../../src/inference/unconfigured.js';
import { drain, hello } from './support.js';

const PLAIN =
  'No inference engine is configured: the local engine is off (MODEL=none). Set MODEL to a Hugging Face ' +
  'model id or a model directory, or set OPENAI_BASE_URL (and OPENAI_MODEL, OPENAI_API_KEY if your server ' +
  'needs them) to use an OpenAI-compatible server such as vLLM, Ollama or TGI.';

describe('UnconfiguredEngine', () => {
  it('says exactly what to set', () => {
    expect(unconfiguredMessage()).toBe(PLAIN);
  });

  it('is not ready, with the message as detail', async () => {
    expect(await new UnconfiguredEngine().status()).toEqual({ ready: false, detail: PLAIN });
  });

  it('fails every generation with not_configured, both when iterated and via result', async () => {
    const engine = new UnconfiguredEngine();
    const generation = engine.generate();
    const { chunks, error } = await drain(generation);
    expect(chunks).toEqual([]);
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({
      code: 'not_configured',
      message: unconfiguredMessage(),
    });
    await expect(generation.result).rejects.toBe(error);
  });

  it('still answers info and countTokens', () => {
    const engine = new UnconfiguredEngine({ contextLength: 2048 });
    expect(engine.info()).toEqual({ name: 'unconfigured', model: 'none', contextLength: 2048 });
    expect(engine.countTokens(hello.messages)).toBeGreaterThan(0);
  });
});
