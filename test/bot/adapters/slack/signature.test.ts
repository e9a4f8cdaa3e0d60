import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rejectionReason } from '../../../../src/bot/adapters/slack/http/signature.js';
import { useFakeEngine } from '../../../helpers/fake-engine.js';
import { slackSignature } from '../../../helpers/slack-signing.js';
import { type Harness, SIGNING_SECRET, startHarness } from './harness.js';
import { appMention, envelope, slashCommand } from './payloads.js';

const engine = useFakeEngine();
let h: Harness;

beforeEach(async () => {
  h = await startHarness({ engine: engine.engine });
});
afterEach(() => h.close());

async function rejected(reason: string): Promise<number> {
  const metric = await h.metrics.registry.getSingleMetric('teambot_slack_rejected_requests_total')?.get();
  return metric?.values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

const now = () => Math.floor(Date.now() / 1000);

describe('Slack request verification', () => {
  it('refuses a bad signature with 401, counts it, and never reaches the bot', async () => {
    const requestsBefore = engine.fake.requests.length;
    const body = JSON.stringify(envelope(appMention({ text: '<@UBOT> hi' })));
    const response = await h.post(body, {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(now()),
      'x-slack-signature': slackSignature('not-the-secret', now(), body),
    });
    expect(response.status).toBe(401);
    expect(await rejected('bad_signature')).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.bot.metrics.seen).toEqual([]);
    expect(engine.fake.requests.length).toBe(requestsBefore);
    expect(h.fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  });

  it('refuses a body changed after signing', async () => {
    const signed = JSON.stringify(envelope(appMention({ text: '<@UBOT> hi' })));
    const response = await h.post(signed.replace('hi', 'ho'), {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(now()),
      'x-slack-signature': slackSignature(SIGNING_SECRET, now(), signed),
    });
    expect(response.status).toBe(401);
    expect(await rejected('bad_signature')).toBe(1);
  });

  it('refuses a correctly signed request older than five minutes', async () => {
    const response = await h.sendEvent(envelope(appMention({ text: '<@UBOT> hi' })), {
      timestamp: now() - 6 * 60,
    });
    expect(response.status).toBe(401);
    expect(await rejected('stale_timestamp')).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.bot.metrics.seen).toEqual([]);
  });

  it('refuses unsigned requests and badly signed slash commands', async () => {
    const unsigned = await h.post(JSON.stringify({ type: 'url_verification', challenge: 'x' }), {
      'content-type': 'application/json',
    });
    expect(unsigned.status).toBe(401);
    expect(await rejected('missing_headers')).toBe(1);

    const form = new URLSearchParams(slashCommand(h.fake, '/ask', 'hi', 'bad')).toString();
    const command = await h.post(form, {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(now()),
      'x-slack-signature': 'v0=0000',
    });
    expect(command.status).toBe(401);
    expect(await rejected('bad_signature')).toBe(1);
    expect(h.fake.responses).toEqual([]);
    const text = (await h.metrics.render()).body;
    expect(text).toMatch(/^teambot_slack_rejected_requests_total\{reason="missing_headers"\} 1$/m);
  });
});

describe('rejectionReason', () => {
  const body = '{"a":1}';
  const at = 1_700_000_000;
  const headers = (ts: number | string, secret = SIGNING_SECRET) => ({
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': slackSignature(secret, Number(ts), body),
  });

  it('passes a good signature within five minutes either way', () => {
    expect(rejectionReason(SIGNING_SECRET, headers(at), body, at * 1000)).toBeUndefined();
    expect(rejectionReason(SIGNING_SECRET, headers(at - 299), body, at * 1000)).toBeUndefined();
  });

  it('names the reason for each failure', () => {
    expect(rejectionReason(SIGNING_SECRET, {}, body, at * 1000)).toBe('missing_headers');
    expect(
      rejectionReason(
        SIGNING_SECRET,
        { ...headers(at), 'x-slack-request-timestamp': 'soon' },
        body,
        at * 1000,
      ),
    ).toBe('bad_timestamp');
    expect(rejectionReason(SIGNING_SECRET, headers(at - 301), body, at * 1000)).toBe('stale_timestamp');
    expect(rejectionReason(SIGNING_SECRET, headers(at + 301), body, at * 1000)).toBe('stale_timestamp');
    expect(rejectionReason(SIGNING_SECRET, headers(at, 'other'), body, at * 1000)).toBe('bad_signature');
    expect(rejectionReason(SIGNING_SECRET, headers(at), `${body} `, at * 1000)).toBe('bad_signature');
  });
});
