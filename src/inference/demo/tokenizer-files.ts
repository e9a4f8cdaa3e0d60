/**
 * The demo tokenizer in Hugging Face format: byte-level BPE over the built-in corpus, ChatML
 * special tokens, and reserved special tokens filling the vocabulary up to the model's size.
 */
import { trainByteLevelBpe } from './bpe-train.js';
import { DEMO_CORPUS } from './corpus.js';
import type { DemoSpec } from './spec.js';

export const END_OF_TEXT = '<|endoftext|>';
export const IM_START = '<|im_start|>';
export const IM_END = '<|im_end|>';

/** ChatML, as Qwen2.5 writes it, without a default system message. */
export const CHATML_TEMPLATE =
  "{%- for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{%- endfor %}" +
  "{%- if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{%- endif %}";

export interface SpecialTokenIds {
  endOfText: number;
  imStart: number;
  imEnd: number;
}

export interface DemoTokenizerFiles {
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  special: SpecialTokenIds;
  /** How many ids are regular BPE tokens (bytes and merges). */
  bpeSize: number;
}

interface AddedToken {
  id: number;
  content: string;
}

function addedTokenFields(content: string) {
  return { content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

/** `named`: special tokens after ChatML's, in order (the vision tokens of the vision-language models). */
export function buildDemoTokenizer(spec: DemoSpec, named: readonly string[] = []): DemoTokenizerFiles {
  const room = spec.vocabSize - 256 - 3;
  const { vocab, merges } = trainByteLevelBpe(DEMO_CORPUS, Math.min(spec.maxMerges, room));
  const bpeSize = vocab.size;
  const added: AddedToken[] = [END_OF_TEXT, IM_START, IM_END].map((content, i) => ({
    id: bpeSize + i,
    content,
  }));
  for (let id = bpeSize + 3, n = 0; id < spec.vocabSize; id += 1, n += 1) {
    added.push({ id, content: named[n] ?? `<|reserved_${n - named.length}|>` });
  }
  const special: SpecialTokenIds = { endOfText: bpeSize, imStart: bpeSize + 1, imEnd: bpeSize + 2 };
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: true };
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added.map(({ id, content }) => ({ id, ...addedTokenFields(content) })),
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: { ...byteLevel, use_regex: false },
    decoder: { ...byteLevel, use_regex: false },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(vocab),
      merges,
    },
  };
  const tokenizerConfig = {
    add_bos_token: false,
    add_prefix_space: false,
    added_tokens_decoder: Object.fromEntries(
      added.map(({ id, content }) => [String(id), addedTokenFields(content)]),
    ),
    additional_special_tokens: [IM_START, IM_END],
    bos_token: END_OF_TEXT,
    chat_template: CHATML_TEMPLATE,
    clean_up_tokenization_spaces: false,
    eos_token: IM_END,
    errors: 'replace',
    model_max_length: spec.maxPositions,
    pad_token: END_OF_TEXT,
    split_special_tokens: false,
    tokenizer_class: 'PreTrainedTokenizerFast',
    unk_token: null,
  };
  return { tokenizerJson, tokenizerConfig, special, bpeSize };
}
