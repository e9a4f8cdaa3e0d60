import { botAddedEvent, envelope, menuEvent, messageEvent } from '../bot/adapters/lark/payloads.js';
import { encryptText, signBody } from '../helpers/lark-crypto.js';
import type { Rng } from './prng.js';
import type { FuzzRequest, FuzzSecrets } from './request.js';
import { garbage, mutate, randomValue } from './values.js';

const EVENTS = (token: string) => [
  messageEvent({ text: 'hello' }),
  messageEvent({
    chatType: 'group',
    text: '@_user_1 hi',
    mentions: [{ key: '@_user_1', openId: 'ou_bot', name: 'teambot' }],
  }),
  messageEvent({ messageType: 'image', content: { image_key: 'img_1' } }),
  messageEvent({ messageType: 'post', content: { title: 't', content: [[{ tag: 'text', text: 'x' }]] } }),
  menuEvent('help'),
  botAddedEvent(),
  envelope('card.action.trigger', {
    operator: { open_id: 'ou_user1' },
    action: { value: { command: 'help' }, tag: 'button' },
    context: { open_message_id: 'om_1', open_chat_id: 'oc_p2p1' },
  }),
  { type: 'url_verification', challenge: 'c', token },
];

/** The `encrypt` body: a mutated event, plaintext that is not JSON, or a field that is not base64. */
function encryptField(rng: Rng, secrets: FuzzSecrets): unknown {
  const roll = rng.int(10);
  if (roll < 7) {
    const event = mutate(rng.pick(EVENTS(secrets.larkVerificationToken)), rng);
    return encryptText(secrets.larkEncryptKey, JSON.stringify(event) ?? 'null');
  }
  if (roll < 8) return encryptText(secrets.larkEncryptKey, garbage(rng));
  if (roll < 9) return rng.pick(['', '!!!!', 'AAAA', 'A'.repeat(31), Buffer.alloc(40).toString('base64')]);
  return randomValue(rng);
}

/** A request to /lark/events or /lark/cards: encrypted with the real key and signed, mostly. */
export function larkCase(rng: Rng, secrets: FuzzSecrets): FuzzRequest {
  const path = rng.chance(0.7) ? '/lark/events' : '/lark/cards';
  const body = rng.chance(0.9)
    ? (JSON.stringify({
        encrypt: encryptField(rng, secrets),
        ...(rng.chance(0.1) ? { x: randomValue(rng) } : {}),
      }) ?? '')
    : garbage(rng);
  const signed = signBody(secrets.larkEncryptKey, body);
  const headers = { ...signed.headers };
  if (rng.chance(0.05)) delete headers['x-lark-signature'];
  if (rng.chance(0.03)) headers['x-lark-signature'] = 'f'.repeat(64);
  if (rng.chance(0.05))
    headers['content-type'] = rng.pick([
      'text/plain',
      'application/octet-stream',
      'application/json; charset=latin9',
    ]);
  return { kind: path === '/lark/events' ? 'lark.event' : 'lark.card', method: 'POST', path, headers, body };
}
