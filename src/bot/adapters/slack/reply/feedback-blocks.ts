import type { types } from '@slack/bolt';
import type { FeedbackValue } from '../../../feedback/types.js';
import type { AnswerMeta } from '../../../message.js';
import { SLACK_SECTION_TEXT_LIMIT, splitMessage } from '../format/index.js';

/** action_id of the feedback buttons (`feedback_buttons`, or plain buttons `…:good` / `…:bad`). */
export const FEEDBACK_ACTION = 'teambot_feedback';

/** What a feedback button carries back: the vote and what produced the answer. */
export interface FeedbackPayload extends AnswerMeta {
  value: FeedbackValue;
}

const encode = (value: FeedbackValue, meta: AnswerMeta) =>
  JSON.stringify({ v: value, m: meta.model.slice(0, 500), b: meta.backend.slice(0, 200) });

/** Reads a button's value back; undefined for anything teambot did not write. */
export function decodeFeedback(raw: unknown): FeedbackPayload | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    const { v, m, b } = JSON.parse(raw) as { v?: unknown; m?: unknown; b?: unknown };
    if ((v !== 'good' && v !== 'bad') || typeof m !== 'string' || typeof b !== 'string') return undefined;
    return { value: v, model: m, backend: b };
  } catch {
    return undefined;
  }
}

const thumb = (emoji: string) => ({ type: 'plain_text' as const, text: emoji, emoji: true });

/** Blocks under a finished answer: `blocks`, or `plain` where Slack refuses those (invalid_blocks). */
export interface Footer {
  blocks: types.KnownBlock[];
  plain: types.KnownBlock[];
}

export function feedbackFooter(meta: AnswerMeta): Footer {
  return { blocks: feedbackBlocks(meta), plain: feedbackButtons(meta) };
}

/** 👍 / 👎 as Slack's `feedback_buttons` in a `context_actions` block. */
export function feedbackBlocks(meta: AnswerMeta): types.KnownBlock[] {
  return [
    {
      type: 'context_actions',
      elements: [
        {
          type: 'feedback_buttons',
          action_id: FEEDBACK_ACTION,
          positive_button: {
            text: thumb('👍'),
            value: encode('good', meta),
            accessibility_label: 'Good answer',
          },
          negative_button: {
            text: thumb('👎'),
            value: encode('bad', meta),
            accessibility_label: 'Bad answer',
          },
        },
      ],
    },
  ];
}

/** The same as plain buttons in an `actions` block, where `context_actions` is refused. */
export function feedbackButtons(meta: AnswerMeta): types.KnownBlock[] {
  const button = (value: FeedbackValue, emoji: string) => ({
    type: 'button' as const,
    action_id: `${FEEDBACK_ACTION}:${value}`,
    text: thumb(emoji),
    value: encode(value, meta),
  });
  return [{ type: 'actions', elements: [button('good', '👍'), button('bad', '👎')] }];
}

/**
 * A message's mrkdwn as section blocks, with `footer` under it: a message with blocks shows its
 * blocks, not its text, so the text has to be in them.
 */
export function textWithFooter(mrkdwn: string, footer: types.KnownBlock[]): types.KnownBlock[] {
  const sections = splitMessage(mrkdwn, SLACK_SECTION_TEXT_LIMIT).map(
    (part): types.KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: part } }),
  );
  return [...sections, ...footer];
}
