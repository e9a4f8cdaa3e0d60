import type { webApi } from '@slack/bolt';
import type { Logger } from '../../../../log/logger.js';
import { callSlack } from '../api-errors.js';
import type { ThreadPlace } from './slack-targets.js';

/** action_id of the Stop button; its value is the conversation it stops. */
export const STOP_ACTION = 'teambot_stop';
export const STOP_CONTROL_TEXT = 'Writing an answer… Stop ends it; what was written stays.';
/** How long an answer runs before it gets a Stop button (a quick answer never shows one). */
export const STOP_BUTTON_AFTER_MS = 1_500;

export interface StopControl {
  /** The answer ended: the control goes away (or never comes). Never rejects. */
  remove(): Promise<void>;
}

async function post(
  client: webApi.WebClient,
  place: ThreadPlace,
  conversation: string,
  log: Logger,
): Promise<string | undefined> {
  try {
    const result = await callSlack('chat.postMessage', () =>
      client.chat.postMessage({
        channel: place.channel,
        thread_ts: place.thread,
        text: STOP_CONTROL_TEXT,
        blocks: [
          {
            type: 'actions',
            elements: [
              {
                type: 'button',
                action_id: STOP_ACTION,
                text: { type: 'plain_text', text: 'Stop' },
                style: 'danger',
                value: conversation,
              },
            ],
          },
        ],
      }),
    );
    return result.ts;
  } catch (error) {
    log.debug({ err: error }, 'could not show a Stop button');
    return undefined;
  }
}

/**
 * A Stop button beside an answer still being written after `afterMs`, where Slack shows no stop
 * control of its own: a small message in the answer's place, deleted when the answer ends. Best
 * effort: an answer is never held up or failed by its stop control.
 */
export function showStopControl(
  client: webApi.WebClient,
  place: ThreadPlace,
  conversation: string,
  log: Logger,
  afterMs = STOP_BUTTON_AFTER_MS,
): StopControl {
  let posted: Promise<string | undefined> | undefined;
  const timer = setTimeout(() => {
    posted = post(client, place, conversation, log);
  }, afterMs);
  return {
    async remove() {
      clearTimeout(timer);
      const ts = await posted;
      if (ts === undefined) return;
      await callSlack('chat.delete', () => client.chat.delete({ channel: place.channel, ts })).catch(
        (error: unknown) => log.debug({ err: error }, 'could not remove the Stop button'),
      );
    },
  };
}
