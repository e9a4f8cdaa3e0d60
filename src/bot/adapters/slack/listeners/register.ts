import type { App } from '@slack/bolt';
import { untilAccepted } from '../../shared/accept.js';
import { callSlack } from '../api-errors.js';
import { readMessageEvent } from '../inbound/event-shape.js';
import { FEEDBACK_ACTION } from '../reply/feedback-blocks.js';
import { STOP_ACTION } from '../reply/stop-control.js';
import type { ListenerDeps } from './deps.js';
import {
  type BlockActionBody,
  type ClickedAction,
  handleAgentSessionStopped,
  handleFeedbackClick,
  handleStopClick,
} from './handle-actions.js';
import { handleCommand } from './handle-command.js';
import { handleMessageEvent } from './handle-message.js';
import { acknowledgeTheRest } from './unhandled.js';

export const ASK_COMMAND = '/ask';
export const TEAMBOT_COMMAND = '/teambot';
export const STOP_COMMAND = '/stop';
/** The buttons teambot puts beside and under answers; the catch-all in unhandled.ts acks the rest. */
const OWN = `${STOP_ACTION}|${FEEDBACK_ACTION}(?::good|:bad)?`;
export const OWN_ACTIONS = new RegExp(`^(?:${OWN})$`);
const OTHER_ACTIONS = new RegExp(`^(?!(?:${OWN})$)`);

/**
 * Bolt answers Slack's request when the listeners return (processBeforeResponse); commands are
 * acknowledged first thing. Every listener starts the work (tracked by `inFlight`) and returns at
 * once, but a message's listener waits until the pipeline accepted it (a queued durable turn, at
 * most ACCEPT_WAIT_MS): Slack's ack comes after the turn is safe.
 */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const onMessage = async ({ event, body }: { event: unknown; body: { team_id?: string } }) => {
    const message = readMessageEvent(event);
    if (message === undefined) return;
    await untilAccepted(
      deps.inFlight.run('Slack message', () => handleMessageEvent(message, body.team_id, deps)),
    );
  };
  app.event('app_mention', onMessage);
  app.event('message', onMessage);

  app.event('assistant_thread_started', async ({ event, body }) => {
    const thread: unknown = event.assistant_thread;
    const { channel_id, thread_ts, context } = (
      typeof thread === 'object' && thread !== null ? thread : {}
    ) as {
      channel_id?: unknown;
      thread_ts?: unknown;
      context?: { channel_id?: unknown; team_id?: unknown } | null;
    };
    if (typeof channel_id !== 'string' || typeof thread_ts !== 'string') return;
    // The prompts of the channel the user was looking at when they opened the assistant.
    const viewing = typeof context?.channel_id === 'string' ? context.channel_id : channel_id;
    const team =
      typeof context?.team_id === 'string' ? context.team_id : (body as { team_id?: string }).team_id;
    deps.inFlight.run('assistant thread start', async () => {
      const workspace = team ?? (await deps.identity()).teamId;
      await deps
        .suggestedPrompts('slack', workspace, viewing)
        .then((prompts) =>
          callSlack('assistant.threads.setSuggestedPrompts', () =>
            deps.client.assistant.threads.setSuggestedPrompts({ channel_id, thread_ts, prompts }),
          ),
        )
        .catch((error: unknown) => deps.log.warn({ err: error }, 'could not set the suggested prompts'));
    });
  });

  app.event('agent_session_stopped', async ({ event, body }) => {
    deps.inFlight.run('native stop', () =>
      handleAgentSessionStopped(event, (body as { team_id?: string }).team_id, deps),
    );
  });

  app.action(OWN_ACTIONS, async ({ ack, body, action }) => {
    await ack();
    const clicked = action as ClickedAction;
    const handle = clicked.action_id === STOP_ACTION ? handleStopClick : handleFeedbackClick;
    deps.inFlight.run('Slack button', () => handle(body as BlockActionBody, clicked, deps));
  });

  app.command(ASK_COMMAND, async ({ command, ack }) => {
    await ack({ response_type: 'ephemeral', text: '_Thinking…_' });
    deps.inFlight.run('Slack command', () => handleCommand(command, 'in_channel', deps));
  });
  app.command(TEAMBOT_COMMAND, async ({ command, ack }) => {
    await ack();
    deps.inFlight.run('Slack command', () => handleCommand(command, 'ephemeral', deps));
  });
  app.command(STOP_COMMAND, async ({ command, ack }) => {
    await ack();
    deps.inFlight.run('Slack command', () => handleCommand(command, 'ephemeral', deps));
  });
  acknowledgeTheRest(app, OTHER_ACTIONS);
}
