import type { Replier, ReplyHandle } from '../message.js';

/** Where a streamed answer is shown (Slack: the message ts; Lark: the card), as plain JSON. */
export type AnswerPlace = Record<string, string | number | boolean>;

/**
 * A reply's memory across replicas: the place an earlier run showed the answer in (to rewrite it
 * rather than post a second one), and `save` to record it as soon as the first text is shown.
 */
export interface AnswerProgress {
  /** 1 for a turn's first run, more for a run that continues a dead replica's. */
  readonly attempt: number;
  readonly saved: AnswerPlace | undefined;
  save(place: AnswerPlace): Promise<void>;
}

/** Progress for a Replier that only tells or tidies (a notice, a status line to clear): it records nothing. */
export function unsavedProgress(attempt: number): AnswerProgress {
  return { attempt, saved: undefined, save: async () => {} };
}

/** An adapter's way back from a handle to a Replier, on any replica; undefined for a foreign handle. */
export type ReplyResumer = (handle: ReplyHandle, progress: AnswerProgress) => Replier | undefined;
