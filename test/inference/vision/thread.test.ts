/**
 * Pictures through the engine thread (the default way the local engine runs): the request's image
 * bytes cross the thread (structured clone), the thread says the model sees, and a picture it
 * cannot read is a bad request, not a crash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/inference/errors.js';
import type { OnnxEngine } from '../../../src/inference/onnx/engine.js';
import type { ThreadEngine } from '../../../src/inference/thread/thread-engine.js';
import { collect, openBatched } from '../batching/support.js';
import { generatedModelDir } from '../hybrid/models.js';
import { openThread } from '../thread/support.js';
import { asked, keyframes, picture } from './support.js';

describe('pictures through the engine thread (generated Qwen3.5)', () => {
  let threaded: ThreadEngine;
  let direct: OnnxEngine;
  beforeAll(async () => {
    const dir = await generatedModelDir('qwen3_5');
    threaded = await openThread(dir);
    direct = await openBatched(dir);
  });
  afterAll(async () => {
    await threaded?.close();
    await direct?.close();
  });

  it('says the model sees and answers as the engine does in process', async () => {
    expect(threaded.info().vision).toBe(true);
    const request = asked('What is shown?', [
      { data: await picture(100, 70, 4), mimeType: 'image/png' },
      ...(await keyframes(2, 64, 2000)),
    ]);
    const there = await collect(threaded.generate(request));
    const here = await collect(direct.generate(request));
    expect(there.result.tokenIds).toEqual(here.result.tokenIds);
    expect(there.result.promptTokenIds).toEqual(here.result.promptTokenIds);
  });

  it('fails a picture it cannot read as a bad request and goes on answering', async () => {
    const broken = asked('What is shown?', [
      { data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), mimeType: 'image/png' },
    ]);
    const error = await collect(threaded.generate(broken)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('bad_request');
    expect((error as EngineError).message).toContain('An image could not be read');
    const after = await collect(threaded.generate(asked('Still there?')));
    expect(after.result.tokenIds?.length).toBeGreaterThan(0);
  });
});
