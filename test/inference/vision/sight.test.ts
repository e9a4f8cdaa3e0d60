import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainEngine } from '../../../src/inference/chain/engine.js';
import { OpenAICompatibleEngine } from '../../../src/inference/openai/engine.js';
import type { GenerateRequest } from '../../../src/inference/types.js';
import { gateImages, SightGate, withoutImages } from '../../../src/inference/vision/sight.js';
import { type FakeOpenAI, startFakeOpenAI } from '../../helpers/fake-openai.js';
import { png } from '../../helpers/media-fixtures.js';
import { collectText, ScriptedEngine } from '../../helpers/scripted-engine.js';

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());

async function ask(): Promise<GenerateRequest> {
  return {
    messages: [
      { role: 'user', content: 'earlier', images: [{ data: await png(8, 8), mimeType: 'image/png' }] },
      { role: 'assistant', content: 'a square' },
      { role: 'user', content: 'and now?', images: [{ data: await png(9, 9), mimeType: 'image/png' }] },
    ],
    temperature: 0,
  };
}

describe('SightGate', () => {
  it('strips images, and only images, for an engine that does not see', async () => {
    const request = await ask();
    expect(withoutImages(request).messages).toEqual([
      { role: 'user', content: 'earlier' },
      { role: 'assistant', content: 'a square' },
      { role: 'user', content: 'and now?' },
    ]);
    const blind = new ScriptedEngine('blind', [{ chunks: ['ok'] }]);
    await collectText(gateImages(blind).generate(request));
    expect(blind.requests[0]?.messages.some((m) => m.images !== undefined)).toBe(false);
    const gate = gateImages(blind);
    expect(gateImages(gate)).toBe(gate);
    expect(gate).toBeInstanceOf(SightGate);
  });

  it('a chain sees when a member does; its text-only fallback gets the request without images', async () => {
    fake.setBehavior({ error: { status: 500, message: 'down' } });
    const remote = new OpenAICompatibleEngine({
      baseUrl: fake.url,
      model: 'vl',
      timeoutMs: 2000,
      contextLength: 4096,
      vision: true,
    });
    const local = new ScriptedEngine('local', [{ chunks: ['from ', 'local'] }]);
    const chain = new ChainEngine({
      backends: [
        { name: 'remote', engine: gateImages(remote) },
        { name: 'local', engine: gateImages(local) },
      ],
      retry: { baseMs: 1, maxMs: 2, upstream: 1 },
    });
    expect(chain.info().vision).toBe(true);
    const { text } = await collectText(gateImages(chain).generate(await ask()));
    expect(text).toBe('from local');
    const sent = fake.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(sent.length).toBeGreaterThan(0);
    const parts = (sent[0]?.body as { messages: { content: unknown }[] } | undefined)?.messages[2]?.content;
    expect(Array.isArray(parts)).toBe(true); // the remote member was given the images
    expect(local.requests[0]?.messages.some((m) => m.images !== undefined)).toBe(false);
    fake.setBehavior({});
  });
});
