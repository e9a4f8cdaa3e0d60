import type { webApi } from '@slack/bolt';
import type { Logger } from '../../../../log/logger.js';
import { callSlack, slackErrorCode } from '../api-errors.js';
import type { EditTarget } from './edit-stream.js';
import { type Footer, textWithFooter } from './feedback-blocks.js';
import type { NativeStream } from './native-stream.js';

export interface ThreadPlace {
  channel: string;
  thread: string | undefined;
}

/** Post-then-edit over chat.postMessage and chat.update. */
export function editTarget(client: webApi.WebClient, place: ThreadPlace): EditTarget {
  return {
    async post(text) {
      const result = await callSlack('chat.postMessage', () =>
        client.chat.postMessage({ channel: place.channel, text, thread_ts: place.thread }),
      );
      if (result.ts === undefined) throw new Error('Slack chat.postMessage returned no ts');
      return result.ts;
    },
    async update(ts, text, footer) {
      if (footer === undefined) {
        await callSlack('chat.update', () => client.chat.update({ channel: place.channel, ts, text }));
        return;
      }
      await withPlainFallback(footer, (blocks) =>
        callSlack('chat.update', () =>
          client.chat.update({ channel: place.channel, ts, text, blocks: textWithFooter(text, blocks) }),
        ),
      );
    },
  };
}

export interface StreamPlace {
  channel: string;
  thread: string;
  /** The user the answer is for and their team (required by Slack outside DMs). */
  user: string;
  team: string;
}

/**
 * Slack's native streaming through the Web API client's ChatStreamer. Its own buffer is set to
 * one character so that every `append` is sent at once: the caller decides the pace.
 */
export function slackNativeStream(client: webApi.WebClient, place: StreamPlace, log: Logger): NativeStream {
  const streamer = client.chatStream({
    channel: place.channel,
    thread_ts: place.thread,
    recipient_user_id: place.user,
    recipient_team_id: place.team,
    buffer_size: 1,
  });
  const method = () => (streamer.ts === undefined ? 'chat.startStream' : 'chat.appendStream');
  return {
    get ts() {
      return streamer.ts;
    },
    async append(markdown) {
      await callSlack(method(), () => streamer.append({ markdown_text: markdown }));
    },
    async stop(markdown, footer) {
      const name = streamer.ts === undefined ? 'chat.startStream' : 'chat.stopStream';
      const text = markdown === '' ? {} : { markdown_text: markdown };
      if (footer === undefined) {
        await callSlack(name, () => streamer.stop(text));
        return;
      }
      // A refused stop keeps its text in the streamer's buffer: the second try sends no text again.
      let first = true;
      await withPlainFallback(footer, (blocks) => {
        const extra = first ? text : {};
        first = false;
        return callSlack(name, () => streamer.stop({ ...extra, blocks }));
      });
    },
    async abandon() {
      const ts = streamer.ts;
      if (ts === undefined) return;
      await client.chat.stopStream({ channel: place.channel, ts }).catch((error: unknown) => {
        log.debug({ err: error }, 'could not stop the failed stream');
      });
    },
  };
}

/** Sends `footer.blocks`; where Slack refuses them (invalid_blocks), `footer.plain` instead. */
async function withPlainFallback(
  footer: Footer,
  send: (blocks: Footer['blocks']) => Promise<unknown>,
): Promise<void> {
  try {
    await send(footer.blocks);
  } catch (error) {
    if (slackErrorCode(error) !== 'invalid_blocks') throw error;
    await send(footer.plain);
  }
}
