import { dmMessage, envelope } from '../bot/adapters/slack/payloads.js';
import { type CliProcess, runCli } from '../helpers/cli-process.js';
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai.js';
import { type FakeSlack, startFakeSlack, waitFor } from '../helpers/fake-slack.js';
import { signJson } from '../helpers/slack-signing.js';

export const DRILL_SECRET = 'drill-signing-secret';
export const DRILL_ANSWER = 'drill answer';

export interface DrillServer {
  url: string;
  serve: CliProcess;
  slack: FakeSlack;
  openai: FakeOpenAI;
  /** A Slack DM from its own user in `channel`, as Slack would deliver it. */
  dmEvent(channel: string, text: string): Record<string, unknown>;
  /** Sends an event signed; `retry` marks Slack's redelivery of the same event. Resolves with the status. */
  deliver(event: Record<string, unknown>, retry?: number): Promise<number>;
  /** A DM sharing a text file (registered with the fake, which serves its bytes to the bot). */
  fileEvent(channel: string, name: string, content: string): Record<string, unknown>;
  /** dmEvent, delivered. */
  dm(channel: string, text: string): Promise<number>;
  /** The messages teambot posted in a channel. */
  repliesIn(channel: string): string[];
  /** Waits until a channel holds a reply matching `pattern`; returns how long that took. */
  answered(channel: string, pattern?: RegExp, timeoutMs?: number): Promise<number>;
  ready(): Promise<number>;
  close(): Promise<number | string>;
}

/** `teambot serve` in a child process, on Slack over HTTP (a fake) and a fake OpenAI backend. */
export async function startDrillServer(env: Record<string, string>): Promise<DrillServer> {
  const [slack, openai] = await Promise.all([
    startFakeSlack(),
    startFakeOpenAI({ behavior: { reply: DRILL_ANSWER } }),
  ]);
  const serve = runCli(['serve'], {
    PORT: '0',
    HOST: '127.0.0.1',
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: DRILL_SECRET,
    SLACK_API_URL: slack.apiUrl,
    OPENAI_BASE_URL: openai.url,
    OPENAI_MODEL: 'fake-model',
    ...env,
  });
  const closeFakes = () => Promise.all([slack.close(), openai.close()]);
  let url: string;
  try {
    const [line] = await serve.waitForStdout(/.*"msg":"http server listening".*/, 30_000);
    url = (JSON.parse(line) as { url: string }).url;
  } catch (error) {
    serve.child.kill('SIGKILL');
    await closeFakes();
    throw error;
  }
  const repliesIn = (channel: string) =>
    slack.messages.filter((m) => m.channel === channel).map((m) => m.text);
  const dmEvent = (channel: string, text: string) =>
    envelope(dmMessage({ channel, user: `U${channel}`, text }));
  const deliver = async (event: Record<string, unknown>, retry?: number) => {
    const headers: Record<string, string> = retry === undefined ? {} : { 'x-slack-retry-num': String(retry) };
    const delivery = signJson(DRILL_SECRET, event, { headers });
    const res = await fetch(`${url}/slack/events`, { method: 'POST', ...delivery });
    await res.text();
    return res.status;
  };
  return {
    url,
    serve,
    slack,
    openai,
    repliesIn,
    dmEvent,
    deliver,
    dm: (channel, text) => deliver(dmEvent(channel, text)),
    fileEvent(channel, name, content) {
      const file = slack.addFile({ id: `F${channel}`, name, mimetype: 'text/plain', content });
      return envelope(
        dmMessage({ channel, user: `U${channel}`, text: '', subtype: 'file_share', files: [file] }),
      );
    },
    async answered(channel, pattern = /./, timeoutMs = 30_000) {
      const started = Date.now();
      await waitFor(
        () => repliesIn(channel).some((t) => pattern.test(t)),
        `a reply in ${channel} matching ${pattern}`,
        timeoutMs,
      );
      return Date.now() - started;
    },
    async ready() {
      const res = await fetch(`${url}/ready`);
      await res.text();
      return res.status;
    },
    async close() {
      if (serve.child.exitCode === null) serve.child.kill('SIGTERM');
      const code = await serve.exited;
      await closeFakes();
      return code;
    },
  };
}

/** Polls until `probe` resolves truthy; returns the milliseconds it took. */
export async function until(
  probe: () => Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await probe().catch(() => false)) return Date.now() - started;
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
