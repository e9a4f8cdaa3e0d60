import { decodeFeedback } from '../reply/feedback-blocks.js';
import type { ListenerDeps } from './deps.js';

/** The fields of a block_actions payload the adapter reads. */
export interface BlockActionBody {
  user?: { id?: string; team_id?: string };
  team?: { id?: string } | null;
  channel?: { id?: string };
  container?: { channel_id?: string; message_ts?: string; thread_ts?: string };
  message?: { ts?: string; thread_ts?: string };
}

export interface ClickedAction {
  action_id?: string;
  value?: string;
}

/** A click on a Stop button: stops the conversation its value names, wherever the answer runs. */
export async function handleStopClick(body: BlockActionBody, action: ClickedAction, deps: ListenerDeps) {
  const conversation = action.value;
  const user = body.user?.id;
  if (typeof conversation !== 'string' || !conversation.startsWith('slack:') || user === undefined) {
    deps.log.warn('a Stop click without a conversation or a user; ignored');
    return;
  }
  deps.log.info({ conversation, user }, 'Stop clicked');
  await deps.stopSignals.stopConversation(conversation, { by: `slack:${user}` });
}

/**
 * A thumbs up or down under an answer: recorded with who voted, on which answer (its message ts)
 * and what produced it (carried by the button).
 */
export async function handleFeedbackClick(
  body: BlockActionBody,
  action: ClickedAction,
  deps: ListenerDeps,
): Promise<void> {
  const vote = decodeFeedback(action.value);
  const user = body.user?.id;
  const chat = body.channel?.id ?? body.container?.channel_id;
  const answerId = body.container?.message_ts ?? body.message?.ts;
  const workspace = body.team?.id ?? body.user?.team_id;
  if (vote === undefined || user === undefined || chat === undefined || answerId === undefined) {
    deps.log.warn('a feedback click teambot cannot read; ignored');
    return;
  }
  if (deps.feedback === undefined) return;
  await deps.feedback.record({
    platform: 'slack',
    workspace: workspace ?? 'unknown',
    chat,
    answerId,
    userId: user,
    value: vote.value,
    model: vote.model,
    backend: vote.backend,
    at: Date.now(),
  });
  deps.log.info({ chat, answerId, value: vote.value }, 'feedback recorded');
}

/** Slack's native stop control was clicked (`agent_session_stopped`): the thread's answers stop. */
export async function handleAgentSessionStopped(
  event: { channel?: unknown; thread_ts?: unknown; user?: unknown },
  teamId: string | undefined,
  deps: ListenerDeps,
): Promise<void> {
  const { channel, thread_ts: thread, user } = event;
  if (typeof channel !== 'string' || typeof thread !== 'string') return;
  const workspace = teamId ?? (await deps.identity()).teamId;
  const conversation = ['slack', workspace, channel, thread].join(':');
  deps.log.info({ conversation, user }, 'native stop clicked');
  await deps.stopSignals.stopConversation(conversation, { by: `slack:${String(user ?? 'unknown')}` });
}
