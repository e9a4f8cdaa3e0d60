import type { App } from '@slack/bolt';

/** Any slash command but /ask, /teambot and /stop: routed here by mistake, it gets a pointer to /teambot help. */
export const OTHER_COMMANDS = /^\/(?!(?:ask|teambot|stop)$)/;

/**
 * Acknowledges what teambot does not handle (yet): other button clicks, shortcuts, modal submissions
 * and slash commands it does not know. Unacknowledged, Bolt would answer 404 after three
 * seconds and Slack would show the user an error.
 */
export function acknowledgeTheRest(app: App, otherActions: RegExp): void {
  app.action({ action_id: otherActions }, async ({ ack }) => {
    await ack();
  });
  app.shortcut(/.*/, async ({ ack }) => {
    await ack();
  });
  app.view(/.*/, async ({ ack }) => {
    await ack();
  });
  app.command(OTHER_COMMANDS, async ({ ack, command }) => {
    await ack({ response_type: 'ephemeral', text: `I do not know ${command.command}. Try /teambot help.` });
  });
}
