/**
 * Child process: the peer of bench:ack, a bare @slack/bolt app on its own HTTP receiver that answers
 * every app_mention in its thread. Prints `listening <port>` once it accepts events.
 */
import bolt from '@slack/bolt';

const { App, LogLevel } = bolt;
const port = Number(process.env.PORT ?? '0');
const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  logLevel: LogLevel.ERROR,
});

app.event('app_mention', async ({ event, say }) => {
  await say({ text: `Hello <@${event.user}>`, thread_ts: event.ts });
});

const server = await app.start(port);
const address = (server as { address(): { port: number } }).address();
process.stdout.write(`listening ${address.port}\n`);
process.on('SIGTERM', () => {
  void app.stop().then(() => process.exit(0));
});
