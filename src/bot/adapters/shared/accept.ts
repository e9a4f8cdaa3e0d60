import { withTimeout } from '../../../util/timeout.js';
import type { InboundMessage } from '../../message.js';

/**
 * How long a platform's ack waits for the pipeline to accept a message. Slack and Lark want their
 * answer within 3 s; a durable turn is queued in a few milliseconds.
 */
export const ACCEPT_WAIT_MS = 2_000;

/**
 * Resolves once `accepted` settles or after `ms`, whichever comes first; never rejects. Listeners
 * await it before returning, so the platform's ack comes after the turn is durable: a replica that
 * dies just after acking loses nothing.
 */
export async function untilAccepted(accepted: Promise<void>, ms = ACCEPT_WAIT_MS): Promise<void> {
  await withTimeout(() => accepted, ms);
}

/**
 * Hands `message` to `handle` (the pipeline) with its `accepted` hook set; the promise settles when
 * the pipeline calls it (the turn is queued, or the message is about to be answered in place) or
 * when the pipeline is done with the message (dropped as a duplicate, refused), never rejecting.
 */
export function handOverAccepted(
  message: InboundMessage,
  handle: (message: InboundMessage) => Promise<void>,
): Promise<void> {
  let accept: () => void = () => {};
  const accepted = new Promise<void>((resolve) => {
    accept = resolve;
  });
  handle({ ...message, accepted: accept }).finally(accept);
  return accepted;
}
