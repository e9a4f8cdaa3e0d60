import type { FeedbackValue } from '../../../feedback/types.js';

/** A card JSON 2.0 button that calls back (card.action.trigger) with `value`. */
export interface ButtonElement {
  tag: 'button';
  element_id?: string;
  text: { tag: 'plain_text'; content: string };
  type: 'default' | 'danger' | 'primary_text' | 'text';
  size: 'small';
  behaviors: Array<{ type: 'callback'; value: CardActionValue }>;
}

/** Buttons side by side. */
export interface ColumnSetElement {
  tag: 'column_set';
  flex_mode: 'none';
  horizontal_spacing: 'small';
  columns: Array<{ tag: 'column'; width: 'auto'; elements: ButtonElement[] }>;
}

export type ActionElement = ButtonElement | ColumnSetElement;

/** What a Stop button's callback carries: the conversation whose answers it stops. */
export interface StopActionValue {
  action: 'stop';
  conversation: string;
}

/** What a feedback button's callback carries: the vote and what produced the answer. */
export interface FeedbackActionValue {
  action: 'feedback';
  value: FeedbackValue;
  model: string;
  backend: string;
}

export type CardActionValue = StopActionValue | FeedbackActionValue;

/** What produced an answer, for its feedback buttons. */
export interface AnswerOrigin {
  model: string;
  backend: string;
}

/** The element id of the Stop button on a streaming card. */
export const STOP_ELEMENT_ID = 'stop';

function button(
  label: string,
  type: ButtonElement['type'],
  value: CardActionValue,
  elementId?: string,
): ButtonElement {
  return {
    tag: 'button',
    ...(elementId === undefined ? {} : { element_id: elementId }),
    text: { tag: 'plain_text', content: label },
    type,
    size: 'small',
    behaviors: [{ type: 'callback', value }],
  };
}

/** The Stop button under a streaming answer. */
export function stopButton(conversation: string): ButtonElement {
  return button('⏹ Stop', 'danger', { action: 'stop', conversation }, STOP_ELEMENT_ID);
}

/** 👍 and 👎 under a finished answer, side by side. */
export function feedbackButtons(origin: AnswerOrigin): ColumnSetElement {
  const vote = (value: FeedbackValue): FeedbackActionValue => ({ action: 'feedback', value, ...origin });
  return {
    tag: 'column_set',
    flex_mode: 'none',
    horizontal_spacing: 'small',
    columns: [
      { tag: 'column', width: 'auto', elements: [button('👍', 'text', vote('good'))] },
      { tag: 'column', width: 'auto', elements: [button('👎', 'text', vote('bad'))] },
    ],
  };
}
