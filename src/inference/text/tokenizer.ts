import { Tokenizer } from '@huggingface/tokenizers';

export interface EncodeOptions {
  /** Let the tokenizer's post-processor add its special tokens (a BOS, say). Default true, as in Hugging Face. */
  addSpecialTokens?: boolean;
}

export interface DecodeOptions {
  /** Leave out special tokens (BOS, EOS, <|im_end|>, ...). Default false. */
  skipSpecialTokens?: boolean;
}

/** The tokenizer as the engine sees it; the library behind it stays out of the interface. */
export interface TextTokenizer {
  encode(text: string, options?: EncodeOptions): number[];
  /**
   * Ids outside the vocabulary decode to nothing (a model's logits are often wider than its
   * vocabulary). The text is exactly what the tokenizer's decoder gives: no "tokenization space
   * clean-up" (which would turn "a ." into "a." and differ between a whole decode and a streamed one).
   */
  decode(ids: readonly number[], options?: DecodeOptions): string;
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
  /** Added tokens marked special, plus the special tokens the tokenizer config names. */
  readonly specialIds: ReadonlySet<number>;
  /** Vocabulary size including added tokens (the largest id plus one). */
  readonly size: number;
}

class HfTextTokenizer implements TextTokenizer {
  readonly specialIds: ReadonlySet<number>;
  readonly size: number;

  constructor(
    private readonly inner: Tokenizer,
    extraSpecialTokens: readonly string[],
  ) {
    const special = new Set<number>();
    for (const [id, token] of inner.get_added_tokens_decoder()) if (token.special) special.add(id);
    for (const token of extraSpecialTokens) {
      const id = inner.token_to_id(token);
      if (id !== undefined) special.add(id);
    }
    this.specialIds = special;
    let largest = -1;
    for (const id of inner.get_vocab(true).values()) if (id > largest) largest = id;
    this.size = largest + 1;
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    return this.inner.encode(text, { add_special_tokens: options.addSpecialTokens ?? true }).ids;
  }

  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    const skip = options.skipSpecialTokens ?? false;
    const kept: number[] = [];
    for (const id of ids) {
      if (skip && this.specialIds.has(id)) continue;
      if (this.inner.id_to_token(id) === undefined) continue;
      kept.push(id);
    }
    // The library throws on an empty list; its own special-token skipping is a linear scan per token.
    if (kept.length === 0) return '';
    return this.inner.decode(kept, { skip_special_tokens: false, clean_up_tokenization_spaces: false });
  }

  tokenToId(token: string): number | undefined {
    return this.inner.token_to_id(token);
  }

  idToToken(id: number): string | undefined {
    return this.inner.id_to_token(id);
  }
}

/**
 * Wraps a parsed tokenizer.json (with its tokenizer_config.json) as a TextTokenizer.
 * `extraSpecialTokens`: token strings the configs call special (bos, eos, pad, ...).
 */
export function createTextTokenizer(
  tokenizerJson: object,
  tokenizerConfig: object,
  extraSpecialTokens: readonly string[] = [],
): TextTokenizer {
  return new HfTextTokenizer(new Tokenizer(tokenizerJson, tokenizerConfig), extraSpecialTokens);
}
