import { appMention, dmMessage, envelope, nextTs } from '../bot/adapters/slack/payloads.js';
import { slackSignature } from '../helpers/slack-signing.js';
import type { Rng } from './prng.js';
import type { FuzzRequest, FuzzSecrets } from './request.js';
import { garbage, mutate } from './values.js';

const EVENTS = () => [
  envelope(appMention({ text: '<@UBOT> hello' })),
  envelope(dmMessage({ text: 'hi there' })),
  envelope({ type: 'assistant_thread_started', assistant_thread: { channel_id: 'D1', thread_ts: nextTs() } }),
  envelope({ type: 'reaction_added', user: 'U1', item: { type: 'message', channel: 'C1', ts: nextTs() } }),
  envelope(
    dmMessage({ text: 'a file', files: [{ id: 'F1', name: 'a.png', url_private: 'http://127.0.0.1:9/f' }] }),
  ),
  { type: 'url_verification', challenge: 'c', token: 't' },
];

const COMMAND = () => ({
  token: 't',
  team_id: 'T1',
  channel_id: 'C1',
  user_id: 'U1',
  command: '/teambot',
  text: 'help',
  response_url: 'http://127.0.0.1:9/response',
  trigger_id: 'tr',
});

const INTERACTIONS = () => [
  {
    type: 'block_actions',
    user: { id: 'U1' },
    team: { id: 'T1' },
    actions: [{ action_id: 'a', value: 'v' }],
  },
  { type: 'view_submission', user: { id: 'U1' }, team: { id: 'T1' }, view: { id: 'V1', callback_id: 'c' } },
  { type: 'shortcut', callback_id: 'c', user: { id: 'U1' }, team: { id: 'T1' } },
  { type: 'message_action', callback_id: 'c', user: { id: 'U1' }, team: { id: 'T1' }, channel: { id: 'C1' } },
  { type: 'block_suggestion', action_id: 'a', value: 'x', user: { id: 'U1' }, team: { id: 'T1' } },
  { type: 'dialog_submission', callback_id: 'c', user: { id: 'U1' }, team: { id: 'T1' } },
];

/** Signed as Slack signs; `skew` seconds off now (beyond 300 is stale), or a wrong secret. */
export function signedSlack(
  kind: string,
  secrets: FuzzSecrets,
  body: string,
  contentType: string,
  rng: Rng,
): FuzzRequest {
  const timestamp = Math.floor(Date.now() / 1000) + (rng.chance(0.03) ? 400 : 0);
  const secret = rng.chance(0.03) ? 'not-the-secret' : secrets.slackSigningSecret;
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(secret, timestamp, body),
  };
  if (rng.chance(0.1)) headers['x-slack-retry-num'] = rng.pick(['1', '2', 'x']);
  return { kind, method: 'POST', path: '/slack/events', headers, body };
}

/** A request to /slack/events with a valid signature (mostly), so it reaches the parsers. */
export function slackCase(rng: Rng, secrets: FuzzSecrets): FuzzRequest {
  const roll = rng.int(10);
  if (roll < 5) {
    const body = JSON.stringify(mutate(rng.pick(EVENTS()), rng)) ?? 'null';
    return signedSlack('slack.event', secrets, body, 'application/json', rng);
  }
  if (roll < 7) {
    const fields = mutate(COMMAND(), rng) as Record<string, unknown>;
    const form = new URLSearchParams();
    if (typeof fields === 'object' && fields !== null) {
      for (const [k, v] of Object.entries(fields))
        form.set(k, typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
    }
    return signedSlack('slack.command', secrets, form.toString(), 'application/x-www-form-urlencoded', rng);
  }
  if (roll < 9) {
    const payload = JSON.stringify(mutate(rng.pick(INTERACTIONS()), rng)) ?? '';
    const body = new URLSearchParams({ payload }).toString();
    return signedSlack('slack.interaction', secrets, body, 'application/x-www-form-urlencoded', rng);
  }
  const contentType = rng.pick([
    'application/json',
    'application/x-www-form-urlencoded',
    'text/plain',
    'application/json; charset=utf-8',
    'application/x-www-form-urlencoded; charset=utf-8',
    'multipart/form-data; boundary=x',
  ]);
  return signedSlack('slack.garbage', secrets, garbage(rng), contentType, rng);
}
