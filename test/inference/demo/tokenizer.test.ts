import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { beforeAll, describe, expect, it } from 'vitest';
import { END_OF_TEXT, IM_END, IM_START } from '../../../src/inference/demo/index.js';
import { modelIds, readJson, TINY, tinyModelDir } from './support.js';

describe('demo tokenizer', () => {
  let tokenizer: Tokenizer;
  let dir: string;
  beforeAll(async () => {
    dir = await tinyModelDir();
    tokenizer = new Tokenizer(
      await readJson(join(dir, 'tokenizer.json')),
      await readJson(join(dir, 'tokenizer_config.json')),
    );
  });

  it.each([
    'The team bot answers when someone mentions it.',
    '你好，世界',
    '👍🏽🎉',
    'mixed: café — naïve 🚀 日本語 and code { return 0; }\n\ttabs  and  spaces ',
  ])('round-trips %j', (text) => {
    const ids = tokenizer.encode(text).ids;
    expect(tokenizer.decode(ids)).toBe(text);
  });

  it('merges common English into fewer tokens than bytes', () => {
    const text = 'the model answers the question';
    expect(tokenizer.encode(text).ids.length).toBeLessThan(new TextEncoder().encode(text).length / 2);
  });

  it('encodes each special token as one id matching the configs', async () => {
    const ids = await modelIds(dir);
    const [endOfText, imStart, imEnd] = [END_OF_TEXT, IM_START, IM_END].map((t) => tokenizer.encode(t).ids);
    expect(endOfText).toEqual([ids.bos]);
    expect(imEnd).toEqual([ids.eos[0]]);
    expect(ids.eos).toEqual([imEnd?.[0], endOfText?.[0]]);
    expect(imStart).toHaveLength(1);
    const chat = tokenizer.encode(`${IM_START}user\nhi${IM_END}`).ids;
    expect(chat[0]).toBe(imStart?.[0]);
    expect(chat[chat.length - 1]).toBe(imEnd?.[0]);
  });

  it('decodes every id the model can produce', () => {
    for (let id = 0; id < TINY.vocabSize; id += 1) {
      expect(tokenizer.decode([id], { skip_special_tokens: false })).not.toBe('');
    }
    expect(tokenizer.decode([TINY.vocabSize - 1])).toMatch(/^<\|reserved_\d+\|>$/);
  });
});
