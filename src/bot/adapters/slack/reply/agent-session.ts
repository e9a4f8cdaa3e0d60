import type { webApi } from '@slack/bolt';
import type { Logger } from '../../../../log/logger.js';

/** What Slack warns when the app is an agent but does not hear of clicks on its stop control. */
const NOT_SUBSCRIBED = 'missing_agent_session_stopped_event_subscription';
/** After Slack refused a session (the app is not an agent), how long teambot does not ask again. */
export const AGENT_SESSION_RETRY_MS = 10 * 60_000;

/** A thread's agent session while an answer runs: with Slack's stop control, or only its indicator. */
export type SessionState = 'stoppable' | 'indicator' | 'none';

type Place = { channel: string; thread: string };

/**
 * Slack's agent sessions for one app: `processing` while an answer runs, which shows Slack's native
 * stop control (clicks arrive as `agent_session_stopped`), then `active` again. Where Slack refuses
 * (the app is not declared an agent) it is not asked again for a while, and teambot shows a Stop
 * button of its own instead.
 */
export class AgentSessions {
  #offUntil = 0;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Marks the thread's session `processing`; says whether Slack shows its stop control. */
  async start(place: Place): Promise<SessionState> {
    if (this.now() < this.#offUntil) return 'none';
    try {
      const result = await this.client.agents.sessions.setStatus({
        channel_id: place.channel,
        thread_ts: place.thread,
        status: 'processing',
      });
      const warned = (result.response_metadata?.warnings ?? []).includes(NOT_SUBSCRIBED);
      return warned ? 'indicator' : 'stoppable';
    } catch (error) {
      this.#offUntil = this.now() + AGENT_SESSION_RETRY_MS;
      this.log.debug({ err: error }, 'no agent session here; a Stop button stands in for the native control');
      return 'none';
    }
  }

  /** The answer ended: the session leaves `processing` (Slack does not do it by itself). Best effort. */
  async end(place: Place, state: SessionState): Promise<void> {
    if (state === 'none') return;
    await this.client.agents.sessions
      .setStatus({ channel_id: place.channel, thread_ts: place.thread, status: 'active' })
      .catch((error: unknown) => this.log.debug({ err: error }, 'could not end the agent session'));
  }
}
