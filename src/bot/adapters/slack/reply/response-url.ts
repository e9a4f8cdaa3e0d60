import { RESTART_CHUNK } from '../../../../inference/types.js';
import type { Logger } from '../../../../log/logger.js';
import type { Replier } from '../../../message.js';
import { splitMessage, toMrkdwn } from '../format/index.js';
import { isTrustedSlackUrl } from '../trusted-url.js';
import { feedbackBlocks, textWithFooter } from './feedback-blocks.js';

/** Slack takes at most five posts to one response_url (within 30 minutes). */
export const RESPONSE_URL_MAX_POSTS = 5;

const POST_TIMEOUT_MS = 10_000;
const TRUNCATED =
  '_(The rest did not fit: Slack allows five replies to one command. Ask me in a DM instead.)_';

export interface ResponseUrlTarget {
  url: string;
  /** How answers show: `in_channel` for /ask, `ephemeral` for the rest. Notices are always ephemeral. */
  visibility: 'in_channel' | 'ephemeral';
  fetch: typeof fetch;
  extraOrigins: readonly string[];
  log: Logger;
  /** Feedback buttons under a finished answer (a store records the votes). */
  feedback?: boolean;
}

/** Answers a slash command through its response_url, within Slack's five posts. */
export function responseUrlReplier(target: ResponseUrlTarget): Replier {
  if (!isTrustedSlackUrl(target.url, target.extraOrigins)) {
    throw new Error('refusing to answer through a response_url outside Slack');
  }
  let used = 0;

  async function send(
    responseType: 'in_channel' | 'ephemeral',
    text: string,
    blocks?: ReturnType<typeof feedbackBlocks>,
  ): Promise<void> {
    used += 1;
    const response = await target.fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        response_type: responseType,
        text,
        ...(blocks === undefined ? {} : { blocks: textWithFooter(text, blocks) }),
      }),
      signal: AbortSignal.timeout(POST_TIMEOUT_MS),
    });
    if (!response.ok) {
      const detail = (await response.text().catch(() => '')).slice(0, 200);
      throw new Error(`Slack response_url answered HTTP ${response.status}: ${detail}`);
    }
  }

  /** Sends `markdown` in as many posts as it needs; `footer` goes under the last one. */
  async function sendAll(
    responseType: 'in_channel' | 'ephemeral',
    markdown: string,
    footer?: ReturnType<typeof feedbackBlocks>,
  ): Promise<void> {
    const room = RESPONSE_URL_MAX_POSTS - used;
    if (room <= 0) throw new Error('this command already used its five response_url replies');
    let parts = splitMessage(toMrkdwn(markdown));
    if (parts.length > room) {
      target.log.warn({ parts: parts.length, room }, 'answer too long for the replies left to this command');
      parts = [...parts.slice(0, room - 1), TRUNCATED];
    }
    for (const [i, part] of parts.entries()) {
      await send(responseType, part, i === parts.length - 1 ? footer : undefined);
    }
  }

  return {
    post: (text) => sendAll(target.visibility, text),
    notice: (text) => sendAll('ephemeral', text),
    async stream(chunks, options = {}) {
      // A response_url message cannot be edited: the answer is sent once it is complete.
      let text = '';
      for await (const chunk of chunks) text = chunk === RESTART_CHUNK ? '' : text + chunk;
      if (text.trim() === '') return text;
      const meta = target.feedback === true ? await options.feedback : undefined;
      await sendAll(target.visibility, text, meta === undefined ? undefined : feedbackBlocks(meta));
      return text;
    },
  };
}
