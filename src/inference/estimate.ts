import type { ChatMessage } from './types.js';

/**
 * Token counts for engines without the model's tokenizer. These are ESTIMATES, not exact counts:
 * about 3.5 characters per token for Latin-script text and code, 1 token per CJK character (Han,
 * kana, Hangul), plus a few tokens per message for the chat template's role markers. They lean
 * slightly high so a prompt trimmed with them usually fits; exact counts need the real tokenizer.
 */
export const CHARS_PER_TOKEN = 3.5;
/** Role and separator tokens a chat template adds around each message. */
export const TOKENS_PER_MESSAGE = 4;
/** Tokens that open the assistant's reply after the last message. */
export const TOKENS_PER_REPLY = 3;

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;

/** Estimated token count of a piece of text. */
export function estimateTextTokens(text: string): number {
  if (text === '') return 0;
  const cjk = text.match(CJK)?.length ?? 0;
  let codePoints = 0;
  for (const _ of text) codePoints++;
  const rest = codePoints - cjk;
  return cjk + Math.ceil(rest / CHARS_PER_TOKEN);
}

/**
 * Tokens a remote model spends on one image (an estimate: vision encoders differ, from 85 for OpenAI's
 * low detail to over 1,000 for large pictures). Keyframes count less so a video's frames (30 by default)
 * fit the default context in the estimate; servers that downscale frames (vLLM's video processors do)
 * spend about that, others more: their own count is what finally decides.
 */
export const TOKENS_PER_IMAGE = 256;
export const TOKENS_PER_VIDEO_FRAME = 64;

/** Estimated token count of a message list as a chat prompt (including the reply's opening). */
export function estimateMessageTokens(messages: readonly ChatMessage[]): number {
  if (messages.length === 0) return 0;
  let total = TOKENS_PER_REPLY;
  for (const message of messages) {
    total += TOKENS_PER_MESSAGE + estimateTextTokens(message.content);
    for (const image of message.images ?? [])
      total += image.videoTimeMs === undefined ? TOKENS_PER_IMAGE : TOKENS_PER_VIDEO_FRAME;
  }
  return total;
}
