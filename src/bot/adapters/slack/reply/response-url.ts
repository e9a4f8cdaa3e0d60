import { RESTART_CHUNK } from '../../../../inference/types.js';
import type { Logger } from '../../../../log/logger.js';
import type { Replier } from '../../../message.js';
import { splitMessage, toMrkdwn } from '../format/index.js';
import { isTrustedSlackUrl } from '../trusted-url.js';

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
}

/** Answers a slash command through its response_url, within Slack's five posts. */
export function responseUrlReplier(target: ResponseUrlTarget): Replier {
  if (!isTrustedSlackUrl(target.url, target.extraOrigins)) {
    throw new Error('refusing to answer through a response_url outside Slack');
  }
  let used = 0;

  async function send(responseType: 'in_channel' | 'ephemeral', text: string): Promise<void> {
    used += 1;
    const response = await target.fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: responseType, text }),
      signal: AbortSignal.timeout(POST_TIMEOUT_MS),
    });
    if (!response.ok) {
      const detail = (await response.text().catch(() => '')).slice(0, 200);
      throw new Error(`Slack response_url answered HTTP ${response.status}: ${detail}`);
    }
  }

  async function sendAll(responseType: 'in_channel' | 'ephemeral', markdown: string): Promise<void> {
    const room = RESPONSE_URL_MAX_POSTS - used;
    if (room <= 0) throw new Error('this command already used its five response_url replies');
    let parts = splitMessage(toMrkdwn(markdown));
    if (parts.length > room) {
      target.log.warn({ parts: parts.length, room }, 'answer too long for the replies left to this command');
      parts = [...parts.slice(0, room - 1), TRUNCATED];
    }
    for (const part of parts) await send(responseType, part);
  }

  return {
    post: (text) => sendAll(target.visibility, text),
    notice: (text) => sendAll('ephemeral', text),
    async stream(chunks) {
      // A response_url message cannot be edited: the answer is sent once it is complete.
      let text = '';
      for await (const chunk of chunks) text = chunk === RESTART_CHUNK ? '' : text + chunk;
      if (text.trim() !== '') await sendAll(target.visibility, text);
      return text;
    },
  };
}
