import type { ReplySink } from '../../shared/stream/reply-sink.js';
import type { AnswerOrigin } from '../format/index.js';

/** A card an answer streams into, which can show feedback buttons once the answer is complete. */
export interface LarkCardSink extends ReplySink {
  /** Puts 👍 / 👎 under the finished card (the last card of a complete answer). */
  offerFeedback(origin: AnswerOrigin): Promise<void>;
  /** Ends the finished card's text with a "stopped" line (its answer was stopped with the Stop button). */
  markStopped(): Promise<void>;
  /** The card message's id, once it was sent. */
  readonly messageId: string | undefined;
}

/** The line a stopped answer's card ends with. */
export const STOPPED_LINE = "\n\n<font color='grey'>⏹ Stopped</font>";
