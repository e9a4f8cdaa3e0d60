import type { ReplyHandle } from '../../../message.js';
import type { AnswerProgress } from '../../../turns/answer-place.js';
import type { MessageTarget } from '../api/lark-api.js';
import type { CardProgress } from './cardkit-sink.js';

/** Sequences of a run that continues an earlier one's card start here × the attempt (they must rise). */
const SEQUENCE_PER_ATTEMPT = 100_000;

/** A Lark reply's place as JSON for the turn queue: the target and the uuid seed (no secrets). */
export function larkReplyHandle(target: MessageTarget, key: string): ReplyHandle {
  return target.kind === 'reply'
    ? { platform: 'lark', key, messageId: target.messageId, inThread: target.inThread }
    : { platform: 'lark', key, receiveIdType: target.receiveIdType, receiveId: target.receiveId };
}

/** The target and uuid seed a handle stands for; undefined when it is not a Lark handle. */
export function larkTargetOf(handle: ReplyHandle): { target: MessageTarget; key: string } | undefined {
  const { key, messageId, inThread, receiveIdType, receiveId } = handle;
  if (handle.platform !== 'lark' || typeof key !== 'string') return undefined;
  if (typeof messageId === 'string') {
    return { key, target: { kind: 'reply', messageId, inThread: inThread === true } };
  }
  if (typeof receiveId === 'string' && typeof receiveIdType === 'string') {
    return {
      key,
      target: {
        kind: 'chat',
        receiveId,
        receiveIdType: receiveIdType as Extract<MessageTarget, { kind: 'chat' }>['receiveIdType'],
      },
    };
  }
  return undefined;
}

/**
 * The answer's CardKit card across runs: a new card is recorded before it is sent; a later run
 * goes on with it (once: the answer's first card), with sequences above the earlier run's.
 */
export function cardProgress(progress: AnswerProgress | undefined): CardProgress | undefined {
  if (progress === undefined) return undefined;
  const saved = progress.saved;
  let earlier =
    saved !== undefined && typeof saved.cardId === 'string'
      ? { cardId: saved.cardId, sequence: progress.attempt * SEQUENCE_PER_ATTEMPT }
      : undefined;
  let recorded = false;
  return {
    get earlier() {
      const first = earlier;
      earlier = undefined;
      return first;
    },
    async created(cardId) {
      if (recorded) return;
      recorded = true;
      await progress.save({ cardId });
    },
  };
}
