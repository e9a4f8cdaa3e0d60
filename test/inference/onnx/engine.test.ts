import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/inference/errors.js';
import type { OnnxEngine } from '../../../src/inference/onnx/engine.js';
import { openOnnxEngine } from '../../../src/inference/onnx/open-engine.js';
import type { ChatMessage, Generation } from '../../../src/inference/types.js';
import { greedyCached, openCpu } from './greedy.js';
import { demoModelDir, GPT2_FIXTURE, QWEN_FIXTURE } from './models.js';

let engine: OnnxEngine;
let dir: string;

/** The engine with room for one row: a single stream, requests one after another. */
function open(path: string, contextLength = 8192, prefillChunk = 512): Promise<OnnxEngine> {
  return openOnnxEngine(path, {
    name: 'test-model',
    device: 'cpu',
    dtype: 'fp32',
    threads: 1,
    contextLength,
    defaults: { maxNewTokens: 16, temperature: 0, prefillChunk },
    batch: { maxBatchSize: 1 },
  });
}

async function collect(generation: Generation) {
  const chunks: string[] = [];
  for await (const chunk of generation) chunks.push(chunk);
  return { chunks, result: await generation.result };
}

beforeAll(async () => {
  dir = await demoModelDir();
  engine = await open(dir);
});
afterAll(() => engine.close());

const PROMPT = 'Once upon a time, in a small town by the sea,';

describe('OnnxEngine on the generated model', () => {
  it('temperature 0 is greedy: the same tokens as an argmax loop over the cache', async () => {
    const model = await openCpu(dir, 'fp32');
    const ids = model.tokenizer.tokenizer.encode(PROMPT);
    const greedy = await greedyCached(model, ids, 12);
    await model.opened.session.release();
    const { result } = await collect(engine.complete({ prompt: PROMPT, maxTokens: 12, temperature: 0 }));
    expect(result.promptTokenIds).toEqual(ids);
    const n = result.tokenIds?.length ?? 0;
    expect(result.tokenIds).toEqual(greedy.slice(0, n));
    if (result.finishReason === 'stop') expect(engine.model.eosIds.has(greedy[n] as number)).toBe(true);
    else expect(n).toBe(12);
  });

  it('streams chunks that add up to the text, which is the decoded tokens', async () => {
    const { chunks, result } = await collect(
      engine.complete({ prompt: PROMPT, maxTokens: 16, temperature: 1, seed: 3 }),
    );
    expect(chunks.join('')).toBe(result.text);
    expect(result.text).toBe(
      engine.model.tokenizer.tokenizer.decode(result.tokenIds ?? [], { skipSpecialTokens: true }),
    );
    expect(result.usage).toEqual({
      promptTokens: result.promptTokenIds?.length,
      completionTokens: result.tokenIds?.length,
    });
    expect(result.timings?.decodeSteps).toBe(Math.max(0, (result.tokenIds?.length ?? 0) - 1));
  });

  it('gives the same tokens for the same seed, and other tokens for other seeds', async () => {
    const run = (seed: number) =>
      collect(engine.complete({ prompt: PROMPT, maxTokens: 16, temperature: 1.2, seed })).then(
        (r) => r.result.tokenIds,
      );
    const first = await run(42);
    expect(await run(42)).toEqual(first);
    const others = await Promise.all([1, 2, 3, 4].map(run));
    expect(others.some((tokens) => JSON.stringify(tokens) !== JSON.stringify(first))).toBe(true);
  });

  it('stops at maxTokens with finish reason "length"', async () => {
    const { result } = await collect(
      engine.complete({ prompt: PROMPT, maxTokens: 5, temperature: 1, seed: 7 }),
    );
    if (result.finishReason === 'length') expect(result.tokenIds).toHaveLength(5);
    else expect(result.tokenIds?.length).toBeLessThan(5);
  });

  it('cuts the text at a stop string, even one spanning tokens', async () => {
    const free = await collect(engine.complete({ prompt: PROMPT, maxTokens: 24, temperature: 0 }));
    const text = free.result.text;
    expect(text.length).toBeGreaterThan(6);
    const stop = text.slice(3, 6);
    const cut = text.indexOf(stop);
    const { chunks, result } = await collect(
      engine.complete({ prompt: PROMPT, maxTokens: 24, temperature: 0, stop: [stop] }),
    );
    expect(result.text).toBe(text.slice(0, cut));
    expect(chunks.join('')).toBe(result.text);
    expect(result.finishReason).toBe('stop');
  });

  it('is cancelled by its signal: finish reason "cancelled", nothing more streamed', async () => {
    const controller = new AbortController();
    const generation = engine.complete(
      { prompt: PROMPT, maxTokens: 200, temperature: 1, seed: 1 },
      controller.signal,
    );
    controller.abort();
    const result = await generation.result;
    expect(result.finishReason).toBe('cancelled');
    // The engine is free again for the next request.
    const next = await engine.complete({ prompt: PROMPT, maxTokens: 2, temperature: 0 }).result;
    expect(next.tokenIds?.length).toBeGreaterThan(0);
  });

  it('runs concurrent requests one after another, each complete', async () => {
    const results = await Promise.all(
      [11, 12, 13].map(
        (seed) => engine.complete({ prompt: PROMPT, maxTokens: 6, temperature: 1, seed }).result,
      ),
    );
    for (const r of results) expect(r.usage.completionTokens).toBeGreaterThan(0);
    expect(Math.max(...results.map((r) => r.timings?.queuedMs ?? 0))).toBeGreaterThan(0);
  });

  it('renders the chat template: the prompt ids are the ChatML text tokenized', async () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi there' },
    ];
    const { result } = await collect(engine.generate({ messages, maxTokens: 2, temperature: 0 }));
    const chatml =
      '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n';
    expect(result.promptTokenIds).toEqual(engine.model.tokenizer.tokenizer.encode(chatml));
    expect(engine.countTokens(messages)).toBe(result.promptTokenIds?.length);
  });
});

describe('OnnxEngine on other layouts and settings', () => {
  it('prefill in small chunks gives the same tokens as one chunk', async () => {
    const chunked = await open(dir, 8192, 5);
    try {
      const request = { prompt: `${PROMPT} ${PROMPT}`, maxTokens: 10, temperature: 0 };
      const a = await chunked.complete(request).result;
      const b = await engine.complete(request).result;
      expect(a.promptTokenIds?.length).toBeGreaterThan(10);
      expect(a.tokenIds).toEqual(b.tokenIds);
    } finally {
      await chunked.close();
    }
  });

  it('chats on the Qwen export (fp16 KV and logits, its own chat template, no position_ids)', async () => {
    const qwen = await openOnnxEngine(QWEN_FIXTURE, {
      name: 'qwen',
      device: 'cpu',
      dtype: 'auto',
      threads: 1,
      contextLength: 8192,
      defaults: { maxNewTokens: 6, temperature: 0, prefillChunk: 512 },
    });
    try {
      expect(qwen.info().contextLength).toBe(128);
      const { chunks, result } = await collect(
        qwen.generate({ messages: [{ role: 'user', content: 'I do not like it' }] }),
      );
      expect(result.tokenIds?.length).toBeGreaterThan(0);
      expect(chunks.join('')).toBe(result.text);
      expect(qwen.model.tokenizer.tokenizer.decode(result.promptTokenIds ?? [])).toContain(
        'I do not like it',
      );
    } finally {
      await qwen.close();
    }
  });
});

describe('OnnxEngine keeps prompt plus answer inside the context', () => {
  it('drops the oldest turns first', async () => {
    const small = await open(dir, 96);
    try {
      const history: ChatMessage[] = [];
      for (let i = 0; i < 8; i++) {
        history.push({ role: 'user', content: `question number ${i} about the weather` });
        history.push({ role: 'assistant', content: `answer number ${i}` });
      }
      const messages: ChatMessage[] = [
        { role: 'system', content: 'sys' },
        ...history,
        { role: 'user', content: 'last one?' },
      ];
      expect(small.countTokens(messages)).toBeGreaterThan(96);
      const result = await small.generate({ messages, maxTokens: 16, temperature: 0 }).result;
      expect(result.usage.promptTokens + 16).toBeLessThanOrEqual(96);
      const prompt = small.model.tokenizer.tokenizer.decode(result.promptTokenIds ?? []);
      expect(prompt).toContain('sys');
      expect(prompt).toContain('last one?');
      expect(prompt).not.toContain('question number 0');
    } finally {
      await small.close();
    }
  });

  it('refuses a single message too long for the context with a clear error', async () => {
    const small = await open(dir, 64);
    try {
      const long = 'word '.repeat(200);
      const generation = small.generate({ messages: [{ role: 'user', content: long }], maxTokens: 16 });
      await expect(generation.result).rejects.toThrow(/The prompt is \d+ tokens; .* at most \d+/);
    } finally {
      await small.close();
    }
  });
});

describe('OnnxEngine errors', () => {
  it('refuses an empty prompt or no messages', async () => {
    await expect(engine.complete({ prompt: '' }).result).rejects.toMatchObject({
      code: 'bad_request',
      message: 'The prompt is empty.',
    });
    await expect(engine.generate({ messages: [] }).result).rejects.toBeInstanceOf(EngineError);
    const blank = engine.generate({ messages: [{ role: 'user', content: '  \n' }] });
    await expect(blank.result).rejects.toThrow('The prompt is empty: no message has any text.');
  });

  it('refuses token ids the model cannot read (a tokenizer bigger than the model)', async () => {
    const gpt2 = await open(GPT2_FIXTURE);
    try {
      const ok = await gpt2.complete({ prompt: 'I do not like it', maxTokens: 3, temperature: 0 }).result;
      expect(ok.usage.completionTokens).toBeGreaterThan(0);
      await expect(gpt2.complete({ prompt: '你好，世界', maxTokens: 3 }).result).rejects.toThrow(
        /token id \d+, but the model's vocabulary has 1000 ids: the tokenizer does not match the model/,
      );
    } finally {
      await gpt2.close();
    }
  });

  it('reports itself ready with its device, and fails clearly once closed', async () => {
    const other = await open(dir);
    expect(await other.status()).toMatchObject({
      ready: true,
      detail: expect.stringContaining('test-model on cpu (fp32)'),
    });
    await other.close();
    expect((await other.status()).ready).toBe(false);
    await expect(other.complete({ prompt: 'hi' }).result).rejects.toThrow('The engine is closed.');
  });
});
