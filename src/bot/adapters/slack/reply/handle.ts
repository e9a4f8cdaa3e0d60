import type { webApi } from '@slack/bolt';
import type { Logger } from '../../../../log/logger.js';
import type { ReplyHandle } from '../../../message.js';
import type { AnswerProgress } from '../../../turns/answer-place.js';
import type { EditTarget } from './edit-stream.js';
import type { NativeStream } from './native-stream.js';
import type { ReplyTarget } from './thread-replier.js';

/** A thread reply's place as JSON for the turn queue (no token: any replica has its own). */
export function slackReplyHandle(target: ReplyTarget): ReplyHandle {
  return {
    platform: 'slack',
    channel: target.channel,
    thread: target.thread,
    user: target.user,
    team: target.team,
    native: target.native,
    status: target.status,
    conversation: target.conversation,
    after: target.after,
  };
}

/** The target a handle stands for; undefined when it is not a Slack thread handle. */
export function slackTargetOf(handle: ReplyHandle): ReplyTarget | undefined {
  const { channel, thread, user, team, native, status, conversation, after } = handle;
  if (handle.platform !== 'slack' || typeof channel !== 'string' || typeof user !== 'string')
    return undefined;
  if (typeof team !== 'string' || typeof conversation !== 'string') return undefined;
  return {
    channel,
    thread: typeof thread === 'string' ? thread : undefined,
    user,
    team,
    native: native === true,
    status: status === true,
    conversation,
    ...(typeof after === 'string' ? { after } : {}),
  };
}

/** The answer's message as an earlier run saved it. */
export function savedAnswer(
  progress: AnswerProgress | undefined,
): { ts: string; streaming: boolean } | undefined {
  const saved = progress?.saved;
  if (saved === undefined || typeof saved.ts !== 'string') return undefined;
  return { ts: saved.ts, streaming: saved.streaming === true };
}

/**
 * The answer's message when an earlier run died between posting it and recording its ts (it
 * recorded `posting` first): the bot's first message in the thread after the question.
 */
export async function leftAnswer(
  client: webApi.WebClient,
  target: ReplyTarget,
  botUserId: string,
  progress: AnswerProgress | undefined,
  log: Logger,
): Promise<{ ts: string; streaming: boolean } | undefined> {
  if (progress?.saved?.posting !== true || target.thread === undefined || target.after === undefined)
    return undefined;
  try {
    const found = await client.conversations.replies({
      channel: target.channel,
      ts: target.thread,
      oldest: target.after,
      inclusive: false,
      limit: 50,
    });
    const mine = found.messages?.find(
      (m) => m.user === botUserId && m.ts !== undefined && m.ts > (target.after ?? ''),
    );
    return mine?.ts === undefined ? undefined : { ts: mine.ts, streaming: true };
  } catch (error) {
    log.warn({ err: error }, 'could not look for the answer an earlier run began; answering anew');
    return undefined;
  }
}

/** Records that the answer is being posted (before), then its first message (after). */
export function trackedEdits(target: EditTarget, progress: AnswerProgress | undefined): EditTarget {
  if (progress === undefined) return target;
  let recorded = false;
  return {
    update: (ts, text) => target.update(ts, text),
    async post(text) {
      if (!recorded) await progress.save({ posting: true });
      const ts = await target.post(text);
      if (!recorded) {
        recorded = true;
        await progress.save({ ts, streaming: false });
      }
      return ts;
    },
  };
}

/** Records a native stream's message as soon as it started. */
export function trackedStream(stream: NativeStream, progress: AnswerProgress | undefined): NativeStream {
  if (progress === undefined) return stream;
  let recorded = false;
  const record = async () => {
    const ts = stream.ts;
    if (recorded || ts === undefined) return;
    recorded = true;
    await progress.save({ ts, streaming: true });
  };
  return {
    get ts() {
      return stream.ts;
    },
    async append(markdown) {
      if (stream.ts === undefined) await progress.save({ posting: true });
      await stream.append(markdown);
      await record();
    },
    async stop(markdown) {
      if (stream.ts === undefined) await progress.save({ posting: true });
      await stream.stop(markdown);
      await record();
    },
    abandon: () => stream.abandon(),
  };
}

/** Ends the stream a dead replica left open, so its message can be rewritten; best effort. */
export async function endLeftStream(
  client: webApi.WebClient,
  channel: string,
  ts: string,
  log: Logger,
): Promise<void> {
  await client.chat.stopStream({ channel, ts }).catch((error: unknown) => {
    log.debug({ err: error }, 'the earlier stream was already ended');
  });
}
