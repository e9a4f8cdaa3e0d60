import type { FeedbackStore, FeedbackValue, FeedbackVote } from '../../src/bot/feedback/types.js';

/** A FeedbackStore that keeps the votes it is given, for asserting what an adapter recorded. */
export class RecordingFeedback implements FeedbackStore {
  readonly votes: FeedbackVote[] = [];

  async record(vote: FeedbackVote): Promise<void> {
    this.votes.push(vote);
  }

  async recent(limit: number): Promise<FeedbackVote[]> {
    return this.votes.slice(-limit).reverse();
  }

  async counts(): Promise<Record<FeedbackValue, number>> {
    const counts: Record<FeedbackValue, number> = { good: 0, bad: 0 };
    for (const vote of this.votes) counts[vote.value] += 1;
    return counts;
  }
}
