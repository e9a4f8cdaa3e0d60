import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../src/inference/sampling/rng.js';
import { IncrementalDecoder } from '../../../src/inference/text/incremental-decoder.js';
import { loadTokenizer } from '../../../src/inference/text/load-tokenizer.js';
import type { TextTokenizer } from '../../../src/inference/text/tokenizer.js';
import { GPT2 } from './fixtures.js';
import { metaspaceTokenizer } from './metaspace-tokenizer.js';

const EOT = 50256;
let tokenizer: TextTokenizer;
beforeAll(async () => {
  tokenizer = (await loadTokenizer(GPT2)).tokenizer;
});

function stream(ids: readonly number[], decoder = new IncrementalDecoder(tokenizer)): string[] {
  const chunks = ids.map((id) => decoder.push(id));
  chunks.push(decoder.flush());
  return chunks;
}

describe('IncrementalDecoder', () => {
  const text = '你好，世界！👍🏽🎉 café';

  it('never emits part of a character (CJK and emoji split over byte tokens)', () => {
    const ids = tokenizer.encode(text);
    // The GPT-2 tokenizer really does split these characters: decoding a prefix shows U+FFFD.
    expect(ids.length).toBeGreaterThan([...text].length);
    expect(tokenizer.decode(ids.slice(0, 1))).toContain('\uFFFD');
    const chunks = stream(ids);
    for (const chunk of chunks) expect(chunk).not.toContain('\uFFFD');
    expect(chunks.join('')).toBe(text);
    expect(chunks.join('')).toBe(tokenizer.decode(ids, { skipSpecialTokens: true }));
    // It emits as soon as a character is whole, not only at the end.
    expect(chunks.filter((c) => c !== '').length).toBeGreaterThan(5);
  });

  it('skips special tokens by default, or keeps them when asked', () => {
    const ids = [EOT, ...tokenizer.encode('Hello 世界'), EOT, ...tokenizer.encode(' again'), EOT];
    expect(stream(ids).join('')).toBe('Hello 世界 again');
    expect(stream(ids).join('')).toBe(tokenizer.decode(ids, { skipSpecialTokens: true }));
    const kept = stream(ids, new IncrementalDecoder(tokenizer, { skipSpecialTokens: false })).join('');
    expect(kept).toBe('<|endoftext|>Hello 世界<|endoftext|> again<|endoftext|>');
  });

  it('keeps spaces and punctuation exactly (no clean-up of " ." or " \'s")', () => {
    const input = 'He said , "it \'s fine ." Isn \'t it ?  Yes .';
    const ids = tokenizer.encode(input);
    expect(stream(ids).join('')).toBe(input);
    expect(tokenizer.decode(ids)).toBe(input);
  });

  it('gives an unfinished character at the end as U+FFFD, like a whole decode', () => {
    const ids = tokenizer.encode('ok 👍').slice(0, -1);
    const chunks = stream(ids);
    expect(chunks.join('')).toBe(tokenizer.decode(ids));
    expect(chunks.at(-1)).toContain('\uFFFD');
    expect(chunks.slice(0, -1).join('')).not.toContain('\uFFFD');
  });

  it('matches a whole decode on random token streams (as a random-weights model makes)', () => {
    const rng = createRng(7);
    for (let round = 0; round < 20; round++) {
      const ids = Array.from({ length: 200 }, () => Math.floor(rng() * 1000));
      if (round % 2 === 0) ids.push(...tokenizer.encode('末尾🎉'));
      expect(stream(ids).join('')).toBe(tokenizer.decode(ids, { skipSpecialTokens: true }));
    }
  });

  it('decodes a short window per token, not the whole text', () => {
    let longest = 0;
    const counting: TextTokenizer = {
      specialIds: tokenizer.specialIds,
      size: tokenizer.size,
      encode: (text, options) => tokenizer.encode(text, options),
      tokenToId: (token) => tokenizer.tokenToId(token),
      idToToken: (id) => tokenizer.idToToken(id),
      decode: (ids, options) => {
        longest = Math.max(longest, ids.length);
        return tokenizer.decode(ids, options);
      },
    };
    const ids = tokenizer.encode(
      'The quick brown fox jumps over the lazy dog. 敏捷的棕色狐狸🦊跳过了懒狗。 '.repeat(30),
    );
    const chunks = stream(ids, new IncrementalDecoder(counting));
    expect(chunks.join('')).toBe(tokenizer.decode(ids));
    expect(ids.length).toBeGreaterThan(500);
    expect(longest).toBeLessThanOrEqual(8);
  });

  it('works with a sentencepiece-style tokenizer (leading space stripped, byte fallback)', () => {
    const { tokenizer: sp, id, byte } = metaspaceTokenizer();
    // <s> Hello world 你 (three byte tokens) ! again ▁ then half of 你, </s>, lo
    const ids = [id('<s>'), id('▁Hello'), id('▁world'), byte(0xe4), byte(0xbd), byte(0xa0), id('!')];
    ids.push(id('▁again'), id('▁'), byte(0xe4), byte(0xbd), id('</s>'), id('lo'));
    const chunks = stream(ids, new IncrementalDecoder(sp));
    expect(chunks.join('')).toBe(sp.decode(ids, { skipSpecialTokens: true }));
    expect(chunks.join('')).toBe('Hello world你! again \uFFFDlo');
    expect(chunks.slice(0, 4)).toEqual(['', 'Hello', ' world', '']);
    expect(chunks).toContain('你');
    // With special tokens kept, the leading-space strip applies to the whole text, as in Hugging Face.
    expect(sp.decode(ids.slice(0, 3))).toBe('<s> Hello world');
  });

  it('starts over after flush', () => {
    const decoder = new IncrementalDecoder(tokenizer);
    expect(stream(tokenizer.encode('one'), decoder).join('')).toBe('one');
    expect(stream(tokenizer.encode(' two'), decoder).join('')).toBe(' two');
  });
});
