import type { ChatMessage, Role } from '../types.js';
import { renderChatTemplate } from './chat-template.js';
import type { LoadedTokenizer } from './load-tokenizer.js';

export interface FormatOptions {
  /** No template: the message contents concatenated as they are (one user message: just its text). */
  raw?: boolean;
  /** End with the cue for the assistant's turn. Default true. */
  addGenerationPrompt?: boolean;
  /** More chat template variables. */
  extra?: Record<string, unknown>;
  /** The clock behind the template's strftime_now. */
  now?: () => Date;
  /** A message's content as the template sees it (see RenderOptions.content). */
  content?: (message: ChatMessage) => unknown;
}

const LABELS: Record<Role, string> = { system: 'System', user: 'User', assistant: 'Assistant' };

/**
 * The format for models without a chat template: one "Label: content" line per message, then
 * "Assistant:" for the model to continue, e.g. "System: Be brief.\nUser: Hi\nAssistant:".
 */
export function fallbackPrompt(messages: readonly ChatMessage[], addGenerationPrompt = true): string {
  const lines = messages.map((m) => `${LABELS[m.role]}: ${m.content}`);
  if (addGenerationPrompt) lines.push('Assistant:');
  return lines.join('\n');
}

/** The prompt text for a conversation: the model's chat template, the fallback format, or raw. */
export function formatPrompt(
  loaded: Pick<LoadedTokenizer, 'chatTemplate' | 'bosToken' | 'eosToken'>,
  messages: readonly ChatMessage[],
  options: FormatOptions = {},
): string {
  if (options.raw) return messages.map((m) => m.content).join('');
  const addGenerationPrompt = options.addGenerationPrompt ?? true;
  if (loaded.chatTemplate === undefined) return fallbackPrompt(messages, addGenerationPrompt);
  return renderChatTemplate(loaded.chatTemplate, messages, {
    bosToken: loaded.bosToken,
    eosToken: loaded.eosToken,
    addGenerationPrompt,
    // Reasoning models' templates think unless told otherwise; teambot asks for it per request.
    extra: { enable_thinking: false, ...options.extra },
    now: options.now,
    content: options.content,
  });
}

/**
 * Token ids for prompt text. Special tokens in the text (a template's <|im_start|>, its BOS) become
 * their ids; the tokenizer adds nothing of its own. A BOS id goes in front only when the model wants
 * one (addBosToken) and the text does not already start with it: no double BOS.
 */
export function encodePrompt(
  loaded: Pick<LoadedTokenizer, 'tokenizer' | 'addBosToken' | 'bosTokenId' | 'bosToken'>,
  text: string,
): number[] {
  const ids = loaded.tokenizer.encode(text, { addSpecialTokens: false });
  const bos = loaded.bosTokenId;
  if (!loaded.addBosToken || bos === undefined || ids[0] === bos) return ids;
  if (loaded.bosToken !== undefined && loaded.bosToken !== '' && text.startsWith(loaded.bosToken)) return ids;
  return [bos, ...ids];
}
