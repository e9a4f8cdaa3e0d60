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
  };
}

/** The target a handle stands for; undefined when it is not a Slack thread handle. */
export function slackTargetOf(handle: ReplyHandle): ReplyTarget | undefined {
  const { channel, thread, user, team, native, status } = handle;
  if (handle.platform !== 'slack' || typeof channel !== 'string' || typeof user !== 'string')
    return undefined;
  if (typeof team !== 'string') return undefined;
  return {
    channel,
    thread: typeof thread === 'string' ? thread : undefined,
    user,
    team,
    native: native === true,
    status: status === true,
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

/** Records the answer's first message as soon as it is posted. */
export function trackedEdits(target: EditTarget, progress: AnswerProgress | undefined): EditTarget {
  if (progress === undefined) return target;
  let recorded = false;
  return {
    update: (ts, text) => target.update(ts, text),
    async post(text) {
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
      await stream.append(markdown);
      await record();
    },
    async stop(markdown) {
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
