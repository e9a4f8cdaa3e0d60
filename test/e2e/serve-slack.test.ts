import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appMention, envelope } from '../bot/adapters/slack/payloads.js';
import { runCli } from '../helpers/cli-process.js';
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai.js';
import { type FakeSlack, startFakeSlack, waitFor } from '../helpers/fake-slack.js';
import { signJson } from '../helpers/slack-signing.js';

const SECRET = 'e2e-signing-secret';
let slack: FakeSlack;
let openai: FakeOpenAI;

beforeAll(async () => {
  slack = await startFakeSlack();
  openai = await startFakeOpenAI();
});
afterAll(async () => {
  await slack.close();
  await openai.close();
});

describe('teambot serve with Slack configured (a child process)', () => {
  it('answers a signed mention in its thread, refuses a bad signature, and says it is on Slack', async () => {
    const serve = runCli(['serve'], {
      PORT: '0',
      HOST: '127.0.0.1',
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      OPENAI_BASE_URL: openai.url,
      OPENAI_MODEL: 'fake-model',
    });
    const [line] = await serve.waitForStdout(/.*"msg":"http server listening".*/);
    const { url } = JSON.parse(line) as { url: string };
    await serve.waitForStdout(/answering on slack \(POST \/slack\/events\)/);

    const challenge = signJson(SECRET, { type: 'url_verification', challenge: 'abc123', token: 't' });
    const verified = await fetch(`${url}/slack/events`, { method: 'POST', ...challenge });
    expect(verified.status).toBe(200);
    expect(await verified.text()).toContain('abc123');

    const mention = appMention({ text: `<@${slack.botUserId}> hello from e2e` });
    const event = envelope(mention);
    const forged = signJson('wrong-secret', event);
    expect((await fetch(`${url}/slack/events`, { method: 'POST', ...forged })).status).toBe(401);

    const delivery = signJson(SECRET, event);
    expect((await fetch(`${url}/slack/events`, { method: 'POST', ...delivery })).status).toBe(200);
    const ts = mention.ts;
    const stops = await waitFor(
      () => {
        const calls = slack.callsTo('chat.stopStream');
        return calls.length > 0 ? calls : undefined;
      },
      'the streamed reply to end',
      15_000,
    );
    expect(stops).toHaveLength(1);
    const starts = slack.callsTo('chat.startStream');
    expect(starts[0]?.args).toMatchObject({ channel: 'C1', thread_ts: ts, recipient_user_id: 'U1' });
    expect(openai.requests.at(-1)?.body).toMatchObject({ model: 'fake-model' });

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/teambot_slack_rejected_requests_total\{reason="bad_signature"\} 1/);
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
  });
});
