import type { TextTokenizer } from './tokenizer.js';

const REPLACEMENT = '\uFFFD';

export interface IncrementalDecoderOptions {
  /** Leave special tokens (EOS, <|im_end|>, ...) out of the text. Default true. */
  skipSpecialTokens?: boolean;
}

/**
 * Turns generated token ids into text as they come, never splitting a character: byte-level
 * tokens often carry part of a CJK character or an emoji, and a partial one decodes to U+FFFD.
 *
 * It decodes only a short window: the tokens of the last emission (context for decoders that treat
 * a leading space specially) and those after. Text up to a trailing U+FFFD goes out at once; the
 * U+FFFD itself waits for the bytes that may complete it. Only the last U+FFFD can be incomplete:
 * an earlier one is followed by bytes, so it stands for invalid bytes and stays in any longer decode.
 * All pushes plus flush() give `tokenizer.decode(ids, { skipSpecialTokens })`.
 */
export class IncrementalDecoder {
  private readonly skipSpecial: boolean;
  /** Token ids from the window's start on. */
  private window: number[] = [];
  /** The window's context: ids before this index were emitted by an earlier window. */
  private contextEnd = 0;
  /** Characters of decode(window) already emitted (the context's text included). */
  private emitted = 0;

  constructor(
    private readonly tokenizer: TextTokenizer,
    options: IncrementalDecoderOptions = {},
  ) {
    this.skipSpecial = options.skipSpecialTokens ?? true;
  }

  /** Adds one generated id; returns the text it completed (often '', never a broken character). */
  push(id: number): string {
    if (this.skipSpecial && this.tokenizer.specialIds.has(id)) return '';
    this.window.push(id);
    const text = this.tokenizer.decode(this.window);
    const complete = !text.endsWith(REPLACEMENT);
    const end = complete ? text.length : text.length - 1;
    const out = end > this.emitted ? text.slice(this.emitted, end) : '';
    if (end > this.emitted) this.emitted = end;
    if (complete && out !== '') this.slide();
    return out;
  }

  /** The text still held back (an unfinished character decodes as U+FFFD, as in a whole decode). */
  flush(): string {
    const text = this.window.length === 0 ? '' : this.tokenizer.decode(this.window);
    const out = text.slice(this.emitted);
    this.window = [];
    this.contextEnd = 0;
    this.emitted = 0;
    return out;
  }

  /** Everything in the window is emitted and ends cleanly: its new tokens become the next context. */
  private slide(): void {
    this.window = this.window.slice(this.contextEnd);
    this.contextEnd = this.window.length;
    this.emitted = this.tokenizer.decode(this.window).length;
  }
}
