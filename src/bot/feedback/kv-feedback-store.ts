import { Counter, type Registry } from 'prom-client';
import type { KeyValueStore } from '../../storage/kv/types.js';
import type { FeedbackStore, FeedbackValue, FeedbackVote } from './types.js';

const RECENT_KEY = 'feedback:recent';
const COUNT_KEY = (value: FeedbackValue) => `feedback:count:${value}`;
/** The list keeps the newest votes only; counts cover every vote. */
export const FEEDBACK_RECENT_MAX = 1000;
/** How long a user's vote on an answer is remembered (to replace it when they change their mind). */
const VOTE_TTL_MS = 90 * 24 * 3_600_000;
const TOTAL = 'teambot_feedback_total';

function voteKey(vote: FeedbackVote): string {
  return `feedback:vote:${vote.platform}:${vote.workspace}:${vote.chat}:${vote.answerId}:${vote.userId}`;
}

function parseVote(line: string): FeedbackVote | undefined {
  try {
    const vote = JSON.parse(line) as FeedbackVote;
    return vote.value === 'good' || vote.value === 'bad' ? vote : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Votes in the KV store, so every replica sees the same ones: each user's vote per answer (a later
 * vote replaces it), a bounded list of recent votes and a count per value. Every vote recorded
 * here is counted in `teambot_feedback_total{value}`.
 */
export class KvFeedbackStore implements FeedbackStore {
  private readonly total: Counter<'value'>;

  constructor(
    private readonly kv: KeyValueStore,
    registry: Registry,
  ) {
    this.total =
      (registry.getSingleMetric(TOTAL) as Counter<'value'> | undefined) ??
      new Counter({
        name: TOTAL,
        help: 'Feedback votes on answers (thumbs up: good, down: bad), by value.',
        labelNames: ['value'] as const,
        registers: [registry],
      });
    // Both series exist from the start, so a dashboard's rate() sees the first vote.
    for (const value of ['good', 'bad'] as const) this.total.inc({ value }, 0);
  }

  async record(vote: FeedbackVote): Promise<void> {
    const key = voteKey(vote);
    const before = await this.kv.get(key);
    const previous = before === null ? undefined : parseVote(before);
    await this.kv.set(key, JSON.stringify(vote), VOTE_TTL_MS);
    if (previous?.value !== vote.value) {
      await this.kv.increment(COUNT_KEY(vote.value));
      if (previous !== undefined) await this.kv.increment(COUNT_KEY(previous.value), -1);
    }
    await this.kv.listPush(RECENT_KEY, [JSON.stringify(vote)], { maxLength: FEEDBACK_RECENT_MAX });
    this.total.inc({ value: vote.value });
  }

  async recent(limit: number): Promise<FeedbackVote[]> {
    const lines = await this.kv.listRange(RECENT_KEY, 0, -1);
    const seen = new Set<string>();
    const votes: FeedbackVote[] = [];
    // Newest first; a vote that was replaced later is left out.
    for (let i = lines.length - 1; i >= 0 && votes.length < limit; i--) {
      const vote = parseVote(lines[i] ?? '');
      if (vote === undefined || seen.has(voteKey(vote))) continue;
      seen.add(voteKey(vote));
      votes.push(vote);
    }
    return votes;
  }

  async counts(): Promise<Record<FeedbackValue, number>> {
    const [good, bad] = await Promise.all([this.kv.get(COUNT_KEY('good')), this.kv.get(COUNT_KEY('bad'))]);
    return { good: Number(good ?? 0), bad: Number(bad ?? 0) };
  }
}
