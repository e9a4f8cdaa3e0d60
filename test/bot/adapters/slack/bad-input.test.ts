import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useFakeEngine } from '../../../helpers/fake-engine.js';
import { waitFor } from '../../../helpers/fake-slack.js';
import { slackSignature } from '../../../helpers/slack-signing.js';
import { type Harness, SIGNING_SECRET, startHarness } from './harness.js';
import { dmMessage, envelope } from './payloads.js';

const engine = useFakeEngine();
let h: Harness;

beforeEach(async () => {
  h = await startHarness({ engine: engine.engine });
});
afterEach(() => h.close());

function signed(body: string, contentType: string): Record<string, string> {
  const now = Math.floor(Date.now() / 1000);
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': String(now),
    'x-slack-signature': slackSignature(SIGNING_SECRET, now, body),
  };
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = 'application/x-www-form-urlencoded';

describe('signed Slack requests teambot cannot handle', () => {
  it.each([
    ['a JSON body that is no object', '[1,2]', 'application/json'],
    ['an object of no known kind', '{"hello":"world"}', 'application/json'],
    [
      'an event without a type',
      JSON.stringify({ type: 'event_callback', event: { text: 'x' } }),
      'application/json',
    ],
    [
      'an event whose channel is null',
      JSON.stringify(envelope({ type: 'message', channel: null })),
      'application/json',
    ],
    ['a function event', JSON.stringify(envelope({ type: 'function_executed' })), 'application/json'],
    ['a command without a slash', form({ command: 'ask', text: 'x' }), FORM],
    [
      'an options request',
      form({ payload: JSON.stringify({ type: 'block_suggestion', action_id: 'a' }) }),
      FORM,
    ],
    [
      'a block action without an action_id',
      form({ payload: JSON.stringify({ type: 'block_actions', actions: [{}] }) }),
      FORM,
    ],
    [
      'a dialog submission',
      form({ payload: JSON.stringify({ type: 'dialog_submission', callback_id: 'c' }) }),
      FORM,
    ],
    [
      'a view closing',
      form({ payload: JSON.stringify({ type: 'view_closed', view: { callback_id: 'c' } }) }),
      FORM,
    ],
    ['a payload that is not JSON', form({ payload: '{' }), FORM],
  ])('answers %s with an immediate 400 Slack does not retry', async (_what, body, contentType) => {
    const res = await fetch(h.endpoint, { method: 'POST', headers: signed(body, contentType), body });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-slack-no-retry')).toBe('1');
    await res.text();
  });

  it('answers a block action whose team is malformed 400 at once, where Bolt would throw (500)', async () => {
    const payload = { type: 'block_actions', actions: [{ action_id: 'a' }], team: null, user: null };
    const body = form({ payload: JSON.stringify(payload) });
    const response = await h.post(body, signed(body, FORM));
    expect(response.status).toBe(400);
    expect(response.ms).toBeLessThan(1_000);
  });

  it('refuses an oversize form body with a 413 the client reads, and still answers the next message', async () => {
    const body = form({ text: 'a'.repeat(1_200_000) });
    const res = await fetch(h.endpoint, { method: 'POST', headers: signed(body, FORM), body });
    expect(res.status).toBe(413);
    await res.text();

    const event = envelope(dmMessage({ text: 'still there?' }));
    expect((await h.sendEvent(event)).status).toBe(200);
    await waitFor(() => h.fake.messages.find((m) => m.channel === 'D1'), 'the answer to the next message');
  });
});
