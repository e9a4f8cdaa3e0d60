import { createTextTokenizer, type TextTokenizer } from '../../../src/inference/text/tokenizer.js';

/**
 * A tiny sentencepiece-style tokenizer (Llama 2 / Mistral layout): "▁" marks a space, bytes fall
 * back to <0xNN> tokens, and the decoder strips the one leading space of the text.
 */
export function metaspaceTokenizer(): {
  tokenizer: TextTokenizer;
  id: (token: string) => number;
  byte: (b: number) => number;
} {
  const vocab: Record<string, number> = { '<unk>': 0, '<s>': 1, '</s>': 2 };
  for (let b = 0; b < 256; b++) vocab[`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`] = 3 + b;
  for (const word of ['▁', '▁Hello', '▁world', '!', '▁again', 'lo']) vocab[word] = Object.keys(vocab).length;
  const special = (id: number, content: string) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const json = {
    version: '1.0',
    added_tokens: [special(0, '<unk>'), special(1, '<s>'), special(2, '</s>')],
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Prepend', prepend: '▁' },
        { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
      ],
    },
    pre_tokenizer: null,
    post_processor: null,
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: '▁' }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
        { type: 'Strip', content: ' ', start: 1, stop: 0 },
      ],
    },
    model: { type: 'BPE', unk_token: '<unk>', fuse_unk: true, byte_fallback: true, vocab, merges: [] },
  };
  const id = (token: string) => {
    const found = vocab[token];
    if (found === undefined) throw new Error(`no token ${token}`);
    return found;
  };
  return { tokenizer: createTextTokenizer(json, {}), id, byte: (b) => 3 + b };
}
