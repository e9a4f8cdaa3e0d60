import type { webApi } from '@slack/bolt';
import type { Logger } from '../../../../log/logger.js';
import type { AnswerMeta, Replier } from '../../../message.js';
import type { AnswerProgress } from '../../../turns/answer-place.js';
import { stopSource } from '../../shared/stream/stop-source.js';
import { callSlack } from '../api-errors.js';
import { SLACK_TEXT_LIMIT, splitMessage, toMrkdwn } from '../format/index.js';
import type { AgentSessions, SessionState } from './agent-session.js';
import { type EditSettings, streamByEditing } from './edit-stream.js';
import { type Footer, feedbackFooter } from './feedback-blocks.js';
import { endLeftStream, savedAnswer, slackReplyHandle, trackedEdits, trackedStream } from './handle.js';
import { streamNatively } from './native-stream.js';
import { rollingStream, type StreamLimits } from './rolling-stream.js';
import { editTarget, slackNativeStream } from './slack-targets.js';
import { setThreadStatus, THINKING_STATUS } from './status.js';
import { type StopControl, showStopControl } from './stop-control.js';

/** Where and how one message is answered. */
export interface ReplyTarget {
  channel: string;
  /** The thread to answer in; undefined answers in the chat itself (a DM outside threads). */
  thread: string | undefined;
  /** Who asked: ephemeral notices go to them; native streams name them as the recipient. */
  user: string;
  /** The asker's team. */
  team: string;
  /** Use chat.startStream (in a thread, for a user of this workspace); else post-then-edit. */
  native: boolean;
  /** Show "is thinking…" in the thread while the answer is generated. */
  status: boolean;
  /** The answer's conversation (conversationKey): what its Stop button stops. */
  conversation: string;
  /** The question's ts: a run that continues a dead one looks for its answer after it. */
  after?: string;
}

export interface ReplierSettings {
  intervalMs: number;
  log: Logger;
  /** Rotated under the status while the model works. */
  loadingMessages: readonly string[];
  /** When a streamed message goes on in a new one. */
  streamLimits: StreamLimits;
  /** Feedback buttons under finished answers (a store records the votes). */
  feedback: boolean;
  /** Slack's agent sessions of this app (its native stop control). */
  sessions: AgentSessions;
  /** A durable turn's answer (reply/handle.ts): where an earlier run showed it, and where to record it. */
  answer?: AnswerProgress;
  /** Finds the answer an earlier run posted but could not record (reply/handle.ts leftAnswer). */
  findLeft?: () => Promise<{ ts: string; streaming: boolean } | undefined>;
}

/** The Replier for messages in Slack conversations. */
export function threadReplier(
  client: webApi.WebClient,
  target: ReplyTarget,
  settings: ReplierSettings,
): Replier {
  const { channel, thread } = target;
  const { log } = settings;
  const editing: EditSettings = {
    intervalMs: settings.intervalMs,
    limit: SLACK_TEXT_LIMIT,
    render: toMrkdwn,
    split: splitMessage,
    log,
  };

  const edits = trackedEdits(editTarget(client, target), settings.answer);

  async function generate(source: AsyncIterator<string>, footer: () => Promise<Footer | undefined>) {
    const earlier = savedAnswer(settings.answer) ?? (await settings.findLeft?.());
    if (earlier !== undefined) {
      // An earlier run (a replica that died) showed part of this answer: it is rewritten in place.
      if (earlier.streaming) await endLeftStream(client, channel, earlier.ts, log);
      return streamByEditing(source, edits, editing, '', earlier.ts, footer);
    }
    if (target.native && thread !== undefined) {
      const place = { channel, thread, user: target.user, team: target.team };
      const stream = rollingStream(
        () => trackedStream(slackNativeStream(client, place, log), settings.answer),
        settings.streamLimits,
      );
      const outcome = await streamNatively(source, stream, settings.intervalMs, log, footer);
      if (outcome.kind === 'done') return outcome.text;
      if (outcome.kind === 'restart') {
        return streamByEditing(source, edits, editing, '', outcome.ts, footer);
      }
      log.warn({ err: outcome.error }, 'Slack streaming failed; answering with post-and-edit instead');
      return (
        outcome.delivered +
        (await streamByEditing(source, edits, editing, outcome.pending, undefined, footer))
      );
    }
    return streamByEditing(source, edits, editing, '', undefined, footer);
  }

  /** Slack's native stop control in an agent session, else a Stop button of ours. */
  async function stopControl(): Promise<{ session: SessionState; button?: StopControl }> {
    const session = thread === undefined ? 'none' : await settings.sessions.start({ channel, thread });
    if (session === 'stoppable') return { session };
    return { session, button: showStopControl(client, { channel, thread }, target.conversation, log) };
  }

  async function notice(text: string): Promise<void> {
    await callSlack('chat.postEphemeral', () =>
      client.chat.postEphemeral({ channel, user: target.user, text: toMrkdwn(text), thread_ts: thread }),
    );
  }

  return {
    handle: slackReplyHandle(target),
    async post(text) {
      for (const part of splitMessage(toMrkdwn(text))) {
        await callSlack('chat.postMessage', () =>
          client.chat.postMessage({ channel, text: part, thread_ts: thread }),
        );
      }
    },
    notice,
    async status(text) {
      // An assistant thread shows it under the thread until the answer is posted; elsewhere the
      // sender alone sees it, as a notice.
      const place = target.status && thread !== undefined ? { channel, thread } : undefined;
      if (place !== undefined && (await setThreadStatus(client, place, text, log))) return;
      await notice(text);
    },
    async clearStatus() {
      if (target.status && thread !== undefined) await setThreadStatus(client, { channel, thread }, '', log);
    },
    async stream(chunks, options = {}) {
      const source = chunks[Symbol.asyncIterator]();
      const place = thread === undefined ? undefined : { channel, thread };
      const thinking =
        target.status &&
        place !== undefined &&
        (await setThreadStatus(client, place, THINKING_STATUS, log, settings.loadingMessages));
      const control = await stopControl();
      const meta = settings.feedback ? options.feedback : undefined;
      const footer = async () => {
        const done: AnswerMeta | undefined = await meta;
        return done === undefined ? undefined : feedbackFooter(done);
      };
      let text = '';
      try {
        text = await generate(source, footer);
        return text;
      } finally {
        // Stops the generation when the answer could not be delivered.
        await stopSource(source, log);
        await control.button?.remove();
        if (place !== undefined) await settings.sessions.end(place, control.session);
        if (thinking && place !== undefined && text === '') await setThreadStatus(client, place, '', log);
      }
    },
  };
}
