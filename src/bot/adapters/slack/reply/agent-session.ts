import type { webApi } from '@slack/bolt';
import type { Logger } from '../../../../log/logger.js';

/** What Slack warns when the app is an agent but does not hear of clicks on its stop control. */
const NOT_SUBSCRIBED = 'missing_agent_session_stopped_event_subscription';

/**
 * Marks the thread's agent session `processing`: Slack then shows its native stop control, whose
 * clicks arrive as `agent_session_stopped`. True when it does (the app is declared an agent and
 * subscribed to that event); false otherwise, and the caller shows a Stop button of its own.
 */
export async function startAgentSession(
  client: webApi.WebClient,
  place: { channel: string; thread: string },
  log: Logger,
): Promise<boolean> {
  try {
    const result = await client.agents.sessions.setStatus({
      channel_id: place.channel,
      thread_ts: place.thread,
      status: 'processing',
    });
    return !(result.response_metadata?.warnings ?? []).includes(NOT_SUBSCRIBED);
  } catch (error) {
    log.debug({ err: error }, 'no agent session here; a Stop button stands in for the native control');
    return false;
  }
}

/** The answer ended: the session leaves `processing` (Slack does not do it by itself). Best effort. */
export async function endAgentSession(
  client: webApi.WebClient,
  place: { channel: string; thread: string },
  log: Logger,
): Promise<void> {
  await client.agents.sessions
    .setStatus({ channel_id: place.channel, thread_ts: place.thread, status: 'active' })
    .catch((error: unknown) => log.debug({ err: error }, 'could not end the agent session'));
}
