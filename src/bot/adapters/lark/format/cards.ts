import type { ActionElement } from './actions.js';
import { cardSummary } from './summary.js';

/** How the client prints streamed text: one step of characters every `print_frequency_ms`. */
export const STREAMING_CONFIG = {
  /**
   * 30 ms × 3 characters ≈ 100 characters a second, faster than an LLM writes, so the typewriter keeps
   * up with the ~10 updates a second teambot sends; `fast` shows what is left of the previous update
   * at once when a new one arrives, so the card never lags behind the answer.
   */
  print_frequency_ms: { default: 30 },
  print_step: { default: 3 },
  print_strategy: 'fast',
} as const;

/** element_id: starts with a letter, then letters, digits or underscores, at most 20 characters. */
const ELEMENT_ID = /^[A-Za-z][A-Za-z0-9_]{0,19}$/;

export interface MarkdownElement {
  tag: 'markdown';
  content: string;
  element_id?: string;
}

/** A card in card JSON 2.0 (the fields teambot writes). */
export interface LarkCard {
  schema: '2.0';
  config: {
    streaming_mode?: boolean;
    streaming_config?: typeof STREAMING_CONFIG;
    update_multi?: boolean;
    summary?: { content: string };
  };
  body: { elements: Array<MarkdownElement | ActionElement> };
}

export interface StreamingCardOptions {
  /** The markdown element's id, for cardkit.v1.cardElement.content; unique in the card. */
  elementId: string;
  /** Initial text (Lark card Markdown, see larkMarkdown); '' by default. */
  text?: string;
  /** Chat-list preview while streaming; left out when empty, and Lark shows "[生成中...]" ("generating"). */
  summary?: string;
  /** Buttons under the text (the Stop button). */
  actions?: ActionElement[];
}

/**
 * The card entity for cardkit.v1.card.create (`data: {type: 'card_json', data: JSON.stringify(card)}`):
 * card JSON 2.0 in streaming mode with one markdown element. Stream by sending the full text so far
 * to cardkit.v1.cardElement.content with that element id and a rising `sequence`.
 */
export function streamingCard({
  elementId,
  text = '',
  summary = '',
  actions = [],
}: StreamingCardOptions): LarkCard {
  if (!ELEMENT_ID.test(elementId)) {
    throw new RangeError(`element id must be a letter then up to 19 letters, digits or _: ${elementId}`);
  }
  return {
    schema: '2.0',
    config: {
      streaming_mode: true,
      streaming_config: STREAMING_CONFIG,
      ...summaryConfig(summary),
    },
    body: { elements: [{ tag: 'markdown', content: text, element_id: elementId }, ...actions] },
  };
}

/** The settings that end streaming, for cardkit.v1.card.settings (`settings: JSON.stringify(…)`). */
export interface FinalCardSettings {
  config: { streaming_mode: false; summary?: { content: string } };
}

/**
 * Turns streaming off; `text` (the final answer) gives the chat-list preview in place of
 * "[生成中...]": its first words as plain text (see cardSummary). Without text the card's own
 * content is previewed.
 */
export function finalCardSettings(text = ''): FinalCardSettings {
  return { config: { streaming_mode: false, ...summaryConfig(cardSummary(text)) } };
}

/**
 * A non-streaming card JSON 2.0 with one markdown element, for msg_type `interactive`
 * (`content: JSON.stringify(card)`) and for updating it with im.v1.message.patch, which requires
 * `update_multi: true`. The fallback when CardKit is unavailable.
 */
export function interactiveCard(text: string, actions: ActionElement[] = []): LarkCard {
  return {
    schema: '2.0',
    config: { update_multi: true, ...summaryConfig(cardSummary(text)) },
    body: { elements: [{ tag: 'markdown', content: text }, ...actions] },
  };
}

/**
 * A finished answer's card, for cardkit.v1.card.update: streaming off, the chat-list preview from
 * the text (so the chat list stops showing it as generating), the Stop button gone, and `actions`
 * (feedback) under the text. The markdown element keeps its id.
 */
export function finishedCard(elementId: string, text: string, actions: ActionElement[] = []): LarkCard {
  return {
    schema: '2.0',
    config: { streaming_mode: false, update_multi: true, ...summaryConfig(cardSummary(text)) },
    body: { elements: [{ tag: 'markdown', content: text, element_id: elementId }, ...actions] },
  };
}

function summaryConfig(summary: string): { summary?: { content: string } } {
  return summary === '' ? {} : { summary: { content: summary } };
}

/**
 * The `content` of a msg_type `text` message. `<at …>` tags are broken up so that a model's answer
 * cannot mention (and notify) people, least of all everyone.
 */
export function textMessageContent(text: string): string {
  return JSON.stringify({ text: defuseAtTags(text) });
}

/** `<at …>` and `</at>` with a zero-width space after the `<`, shown as typed but not as mentions. */
export function defuseAtTags(text: string): string {
  return text.replace(/<(\/?at)(?=[\s>/])/gi, '<\u200b$1');
}
