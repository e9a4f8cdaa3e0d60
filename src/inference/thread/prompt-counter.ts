import { type LoadedTokenizer, loadTokenizer } from '../text/load-tokenizer.js';
import { encodePrompt, formatPrompt } from '../text/prompt.js';
import type { ChatMessage } from '../types.js';

/**
 * Counts a conversation's prompt tokens on this thread (the same template and tokenizer the
 * engine thread uses): `countTokens` is synchronous and the bot calls it while fitting history.
 */
export class PromptCounter {
  private constructor(private readonly tokenizer: LoadedTokenizer) {}

  static async open(dir: string): Promise<PromptCounter> {
    return new PromptCounter(await loadTokenizer(dir));
  }

  count(messages: ChatMessage[]): number {
    return encodePrompt(this.tokenizer, formatPrompt(this.tokenizer, messages)).length;
  }
}
