/**
 * The generated vision-language models (Qwen3.5 and Qwen2.5-VL) against @huggingface/transformers
 * 4.3.1 on the same files: pixel values from its processor, then the greedy tokens of an image and
 * a question.
 */
import { basename, dirname } from 'node:path';
import {
  AutoModelForImageTextToText,
  AutoProcessor,
  env,
  type Processor,
  RawImage,
  type Tensor,
} from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DemoArch } from '../../../src/inference/demo/index.js';
import { openOnnxEngine } from '../../../src/inference/onnx/open-engine.js';
import { readVisionConfig } from '../../../src/inference/vision/config.js';
import { prepareImage } from '../../../src/inference/vision/preprocess.js';
import { picturePrompt } from '../../../src/inference/vision/request.js';
import { jpegWithGps, png } from '../../helpers/media-fixtures.js';
import { collect } from '../batching/support.js';
import { generatedModelDir } from '../hybrid/models.js';
import { theirGreedy } from '../transformers-greedy.js';

const ARCHS: DemoArch[] = ['qwen3_5', 'qwen2_5_vl'];
const QUESTION = 'What is in this picture?';
const TOKENS = 10;

describe.each(ARCHS)('the generated %s with its vision encoder, beside transformers.js', (arch) => {
  let dir: string;
  let processor: Processor;
  beforeAll(async () => {
    dir = await generatedModelDir(arch);
    env.allowRemoteModels = false;
    env.localModelPath = `${dirname(dir)}/`;
    processor = await AutoProcessor.from_pretrained(basename(dir));
  });

  it('preprocesses images to the pixel values of its processor (within 1e-4)', async () => {
    const config = await readVisionConfig(dir);
    if (config === undefined) throw new Error('no vision config');
    const images = [await png(130, 90), await jpegWithGps(), await png(24, 300), await png(700, 500)];
    for (const bytes of images) {
      const theirs = await (processor.image_processor as NonNullable<Processor['image_processor']>)(
        await RawImage.fromBlob(new Blob([bytes])),
      );
      const ours = await prepareImage(bytes, config.processing);
      const expected = theirs.pixel_values.data as Float32Array;
      expect(Array.from(theirs.image_grid_thw.data as BigInt64Array, Number)).toEqual(ours.grid);
      expect(ours.pixelValues.length).toBe(expected.length);
      let worst = 0;
      for (let i = 0; i < expected.length; i++) {
        worst = Math.max(worst, Math.abs((expected[i] as number) - (ours.pixelValues[i] as number)));
      }
      expect(worst).toBeLessThanOrEqual(1e-4);
    }
  });

  it.each(['fp32', 'q4'] as const)(
    'answers an image and a question with the greedy tokens transformers.js gives (%s)',
    async (dtype) => {
      const bytes = await png(130, 90);
      const model = await AutoModelForImageTextToText.from_pretrained(basename(dir), {
        dtype,
        device: 'cpu',
      });
      const engine = await openOnnxEngine(dir, {
        name: arch,
        device: 'cpu',
        dtype,
        threads: 1,
        contextLength: 2048,
        defaults: { maxNewTokens: TOKENS, temperature: 0, prefillChunk: 512 },
      });
      try {
        expect(engine.info().vision).toBe(true);
        const text = processor.apply_chat_template(
          [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: QUESTION }] }] as never,
          { add_generation_prompt: true },
        ) as string;
        const inputs = await processor(text, [await RawImage.fromBlob(new Blob([bytes]))]);
        const { promptIds, tokens: theirs } = await theirGreedy(model, inputs, TOKENS);
        const ours = (
          await collect(
            engine.generate({
              messages: [
                { role: 'user', content: QUESTION, images: [{ data: bytes, mimeType: 'image/png' }] },
              ],
              maxTokens: TOKENS,
              temperature: 0,
            }),
          )
        ).result;
        expect(ours.promptTokenIds).toEqual(promptIds);
        // The three M-RoPE rows of the prompt, as its get_rope_index computes them.
        const rope = model as unknown as {
          get_rope_index(ids: unknown, grid: unknown, video: unknown, mask: unknown): [Tensor, Tensor];
        };
        const [theirRows] = rope.get_rope_index(
          inputs.input_ids,
          inputs.image_grid_thw,
          null,
          inputs.attention_mask,
        );
        const vision = engine.model.vision;
        if (vision === undefined) throw new Error('no vision');
        const { prompt } = await picturePrompt(
          engine.model.tokenizer,
          vision,
          { videoTokens: 1536 },
          {
            messages: [{ role: 'user', content: QUESTION, images: [{ data: bytes, mimeType: 'image/png' }] }],
            thinking: false,
            contextLength: 2048,
            maxNewTokens: TOKENS,
          },
        );
        expect(Array.from(prompt.positions.rows)).toEqual(
          Array.from(theirRows.data as BigInt64Array, Number),
        );
        expect(
          new Set(prompt.positions.rows.subarray(promptIds.length, 2 * promptIds.length)).size,
        ).toBeLessThan(promptIds.length);
        expect(theirs.length).toBeGreaterThan(4);
        // transformers.js stops after the EOS it generated; teambot does not return the EOS.
        expect(ours.tokenIds).toEqual(theirs.slice(0, ours.tokenIds?.length ?? 0));
        expect(theirs.length - (ours.tokenIds?.length ?? 0)).toBeLessThanOrEqual(1);
      } finally {
        await model.dispose();
        await engine.close();
      }
    },
  );
});
