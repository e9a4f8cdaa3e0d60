/**
 * A request with pictures into one prompt: pictures preprocessed once, the conversation trimmed to
 * the context counting their visual tokens (trimPrompt drops old turns, and their pictures with
 * them), then rendered, tokenized and expanded (prompt.ts).
 */
import { EngineError } from '../errors.js';
import type { LoadedTokenizer } from '../text/load-tokenizer.js';
import { encodePrompt, formatPrompt } from '../text/prompt.js';
import { trimPrompt } from '../trim-prompt.js';
import type { ChatMessage } from '../types.js';
import { contentParts } from './items.js';
import { expandPrompt, prepareMessages, type VisionPrompt, type VisionSettings } from './prompt.js';
import type { VisionRunner } from './runner.js';

export interface PictureRequest {
  messages: readonly ChatMessage[];
  thinking: boolean;
  contextLength: number;
  /** The answer's budget in tokens. */
  maxNewTokens: number;
}

export function hasPictures(messages: readonly ChatMessage[]): boolean {
  return messages.some((m) => (m.images?.length ?? 0) > 0);
}

export async function picturePrompt(
  tokenizer: LoadedTokenizer,
  runner: VisionRunner,
  settings: VisionSettings,
  request: PictureRequest,
): Promise<{ prompt: VisionPrompt; maxNewTokens: number }> {
  let prepared: Awaited<ReturnType<typeof prepareMessages>>;
  try {
    prepared = await prepareMessages(request.messages, runner.config, settings);
  } catch (error) {
    throw new EngineError('bad_request', `An image could not be read: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const build = (messages: readonly ChatMessage[]): VisionPrompt => {
    const text = formatPrompt(tokenizer, messages, {
      extra: { enable_thinking: request.thinking },
      content: contentParts,
    });
    const items = messages.flatMap((m) => prepared.get(m) ?? []);
    try {
      return expandPrompt(encodePrompt(tokenizer, text), items, runner.config, (t) =>
        tokenizer.tokenizer.encode(t, { addSpecialTokens: false }),
      );
    } catch (error) {
      throw new EngineError('bad_request', (error as Error).message, { cause: error });
    }
  };
  let last: { messages: ChatMessage[]; prompt: VisionPrompt } | undefined;
  const trimmed = trimPrompt(
    request.messages,
    (messages) => {
      last = { messages, prompt: build(messages) };
      return last.prompt.ids.length;
    },
    request.contextLength,
    request.maxNewTokens,
  );
  const prompt = last?.messages === trimmed.messages ? last.prompt : build(trimmed.messages);
  return { prompt, maxNewTokens: trimmed.maxNewTokens };
}
