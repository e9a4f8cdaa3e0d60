import type { ReplySink } from '../../shared/stream/reply-sink.js';
import type { AnswerOrigin } from '../format/index.js';

/** A card an answer streams into, which can show feedback buttons once the answer is complete. */
export interface LarkCardSink extends ReplySink {
  /** Puts 👍 / 👎 under the finished card (the last card of a complete answer). */
  offerFeedback(origin: AnswerOrigin): Promise<void>;
}
