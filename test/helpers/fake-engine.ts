import { afterAll, beforeAll } from 'vitest';
import { OpenAICompatibleEngine } from '../../src/inference/openai/engine.js';
import { type FakeOpenAI, startFakeOpenAI } from './fake-openai.js';

export interface FakeEngine {
  fake: FakeOpenAI;
  engine: OpenAICompatibleEngine;
}

/**
 * A real OpenAI-compatible engine talking to a local fake server, started before the file's
 * tests and closed after them. Read `.fake` / `.engine` inside tests.
 */
export function useFakeEngine(): FakeEngine {
  const handle = {} as FakeEngine;
  beforeAll(async () => {
    handle.fake = await startFakeOpenAI();
    handle.engine = new OpenAICompatibleEngine({
      baseUrl: handle.fake.url,
      model: 'fake-model',
      timeoutMs: 5_000,
      contextLength: 4096,
    });
  });
  afterAll(async () => {
    await handle.engine.close();
    await handle.fake.close();
  });
  return handle;
}
