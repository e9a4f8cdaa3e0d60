import { UserFacingError } from '../errors.js';
import type { MessageContext } from '../pipeline/context.js';
import type { FeedbackStore, FeedbackVote } from './types.js';

export const FEEDBACK_USAGE = 'admin feedback [n] (votes on answers, newest first, default 10, at most 100)';

const THUMB = { good: '👍', bad: '👎' } as const;

function line(vote: FeedbackVote): string {
  const at = new Date(vote.at).toISOString();
  return `• ${at} ${THUMB[vote.value]} ${vote.platform}:${vote.userId} on ${vote.chat}/${vote.answerId} (${vote.backend}, ${vote.model})`;
}

/** `/admin feedback [n]`: the counts and the newest votes. */
export async function feedbackCommand(
  ctx: MessageContext,
  store: FeedbackStore | undefined,
  args: string[],
): Promise<void> {
  const [count, ...rest] = args;
  const n = count === undefined ? 10 : Number(count);
  if (rest.length > 0 || !Number.isSafeInteger(n) || n < 1 || n > 100) {
    throw new UserFacingError(`Usage: ${FEEDBACK_USAGE}`, 'usage');
  }
  if (store === undefined) throw new UserFacingError('Feedback is not recorded here.', 'unavailable');
  const [counts, votes] = await Promise.all([store.counts(), store.recent(n)]);
  const head = `Feedback: ${counts.good} ${THUMB.good}, ${counts.bad} ${THUMB.bad}.`;
  if (votes.length === 0) {
    await ctx.reply.post(`${head} No votes yet.`);
    return;
  }
  await ctx.reply.post([head, `The last ${votes.length} votes:`, ...votes.map(line)].join('\n'));
}
