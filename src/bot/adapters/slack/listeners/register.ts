import type { App } from '@slack/bolt';
import { callSlack } from '../api-errors.js';
import { readMessageEvent } from '../inbound/event-shape.js';
import type { ListenerDeps } from './deps.js';
import { handleCommand } from './handle-command.js';
import { handleMessageEvent } from './handle-message.js';
import { acknowledgeTheRest } from './unhandled.js';

export const ASK_COMMAND = '/ask';
export const TEAMBOT_COMMAND = '/teambot';

/**
 * Bolt acknowledges events before their listeners run; commands are acknowledged first thing.
 * Every listener only starts the work (tracked by `inFlight`) and returns, so the pipeline
 * never runs before Slack has its answer.
 */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const onMessage = async ({ event, body }: { event: unknown; body: { team_id?: string } }) => {
    const message = readMessageEvent(event);
    if (message === undefined) return;
    deps.inFlight.run('Slack message', () => handleMessageEvent(message, body.team_id, deps));
  };
  app.event('app_mention', onMessage);
  app.event('message', onMessage);

  app.event('assistant_thread_started', async ({ event }) => {
    const thread: unknown = event.assistant_thread;
    const { channel_id, thread_ts } = (typeof thread === 'object' && thread !== null ? thread : {}) as {
      channel_id?: unknown;
      thread_ts?: unknown;
    };
    if (typeof channel_id !== 'string' || typeof thread_ts !== 'string') return;
    deps.inFlight.run('assistant thread start', async () => {
      await callSlack('assistant.threads.setSuggestedPrompts', () =>
        deps.client.assistant.threads.setSuggestedPrompts({
          channel_id,
          thread_ts,
          prompts: deps.suggestedPrompts,
        }),
      ).catch((error: unknown) => deps.log.warn({ err: error }, 'could not set the suggested prompts'));
    });
  });

  app.command(ASK_COMMAND, async ({ command, ack }) => {
    await ack({ response_type: 'ephemeral', text: '_Thinking…_' });
    deps.inFlight.run('Slack command', () => handleCommand(command, 'in_channel', deps));
  });
  app.command(TEAMBOT_COMMAND, async ({ command, ack }) => {
    await ack();
    deps.inFlight.run('Slack command', () => handleCommand(command, 'ephemeral', deps));
  });
  acknowledgeTheRest(app);
}
