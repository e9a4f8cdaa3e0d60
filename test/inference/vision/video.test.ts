/**
 * Video keyframes: in as frames with their timestamps (Qwen3-VL's `<t seconds>` before each
 * frame), within the configured visual-token budget, each frame its own M-RoPE grid.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openOnnxEngine } from '../../../src/inference/onnx/open-engine.js';
import { frameBudget } from '../../../src/inference/vision/items.js';
import { promptPositions } from '../../../src/inference/vision/mrope.js';
import { collect } from '../batching/support.js';
import { generatedModelDir } from '../hybrid/models.js';
import { asked, keyframes } from './support.js';

function openWithBudget(dir: string, videoTokens: number) {
  return openOnnxEngine(dir, {
    name: 'vision-test',
    device: 'cpu',
    dtype: 'fp32',
    threads: 1,
    contextLength: 2048,
    defaults: { maxNewTokens: 4, temperature: 0, prefillChunk: 512 },
    vision: { videoTokens },
  });
}

describe('video keyframes on the generated Qwen3.5', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await generatedModelDir('qwen3_5');
  });

  it('puts every frame in with its time when the budget allows', async () => {
    const engine = await openWithBudget(dir, 64);
    try {
      // 64×64 frames: 2×2 merged patches of 32 pixels, 4 visual tokens each.
      const frames = await keyframes(4, 64, 750);
      const result = (await collect(engine.generate(asked('What happens?', frames.reverse(), 2)))).result;
      const text = engine.model.tokenizer.tokenizer.decode(result.promptTokenIds ?? [], {
        skipSpecialTokens: false,
      });
      expect(text).toContain(
        '<0.0 seconds><|vision_start|>' +
          '<|video_pad|>'.repeat(4) +
          '<|vision_end|><0.8 seconds><|vision_start|>',
      );
      // Python's format rounds ties to even, as Qwen3-VL's processor writes them: 2.25 s is "2.2".
      expect(text.match(/<\d+\.\d seconds>/g)).toEqual([
        '<0.0 seconds>',
        '<0.8 seconds>',
        '<1.5 seconds>',
        '<2.2 seconds>',
      ]);
      expect(text.split('<|video_pad|>').length - 1).toBe(16);
    } finally {
      await engine.close();
    }
  });

  it('keeps fewer, evenly spread frames at fewer pixels when the budget is small', async () => {
    const engine = await openWithBudget(dir, 12);
    try {
      const frames = await keyframes(6, 64, 500);
      const result = (await collect(engine.generate(asked('What happens?', frames, 2)))).result;
      const text = engine.model.tokenizer.tokenizer.decode(result.promptTokenIds ?? [], {
        skipSpecialTokens: false,
      });
      expect(text.match(/<\d+\.\d seconds>/g)).toEqual(['<0.5 seconds>', '<1.5 seconds>', '<2.5 seconds>']);
      expect(text.split('<|video_pad|>').length - 1).toBeLessThanOrEqual(12);
      const big = await keyframes(2, 256, 1000);
      const scaled = (await collect(engine.generate(asked('And this?', big, 2)))).result;
      const scaledText = engine.model.tokenizer.tokenizer.decode(scaled.promptTokenIds ?? [], {
        skipSpecialTokens: false,
      });
      expect(scaledText.match(/<\d+\.\d seconds>/g)).toHaveLength(2);
      expect(scaledText.split('<|video_pad|>').length - 1).toBeLessThanOrEqual(12);
    } finally {
      await engine.close();
    }
  });
});

describe('frame budget and M-RoPE positions', () => {
  it('spreads kept frames over the video and shares the tokens among them', () => {
    expect(frameBudget(4, 100, 1024, 65536, 4)).toEqual({ keep: [0, 1, 2, 3], maxPixels: 25 * 1024 });
    expect(frameBudget(6, 12, 1024, 65536, 4)).toEqual({ keep: [1, 3, 5], maxPixels: 4 * 1024 });
    expect(frameBudget(3, 1000, 1024, 8192, 4).maxPixels).toBe(8192);
  });

  it('gives text one position per token and a picture its t/h/w grid on top of where it starts', () => {
    const I = 9;
    // two text tokens, one 1×4×6 grid merged 2×2 (2×3 = 6 visual tokens), then two text tokens
    const ids = [1, 2, I, I, I, I, I, I, 3, 4];
    const { rows, delta } = promptPositions(ids, (id) => id === I, [[1, 4, 6]], 2);
    const n = ids.length;
    expect(Array.from(rows.subarray(0, n))).toEqual([0, 1, 2, 2, 2, 2, 2, 2, 5, 6]);
    expect(Array.from(rows.subarray(n, 2 * n))).toEqual([0, 1, 2, 2, 2, 3, 3, 3, 5, 6]);
    expect(Array.from(rows.subarray(2 * n))).toEqual([0, 1, 2, 3, 4, 2, 3, 4, 5, 6]);
    expect(delta).toBe(7 - n);
  });
});
