/** Thumbs up or down under a finished answer, from either platform. */
export type FeedbackValue = 'good' | 'bad';

export interface FeedbackVote {
  platform: string;
  workspace: string;
  chat: string;
  /** The answer's message id (Slack ts, Lark message id). */
  answerId: string;
  userId: string;
  value: FeedbackValue;
  /** What produced the answer. */
  model: string;
  backend: string;
  /** Epoch milliseconds. */
  at: number;
}

export interface FeedbackStore {
  /** Records a vote (a user's later vote on the same answer replaces the earlier one) and counts it. */
  record(vote: FeedbackVote): Promise<void>;
  /** The newest votes first. */
  recent(limit: number): Promise<FeedbackVote[]>;
  /** How many answers are voted good and bad (each user's latest vote on an answer counts once). */
  counts(): Promise<Record<FeedbackValue, number>>;
}
