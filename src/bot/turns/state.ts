import type { AnswerPlace } from './answer-place.js';

/** What a running batch saves for a run that continues it (a BullMQ job's `state`). */
export interface TurnState {
  /** Groups of the batch answered completely. */
  done: number;
  /** Where the answer of group `done` is shown so far. */
  answer?: AnswerPlace | undefined;
}
