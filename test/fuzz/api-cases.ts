import type { Rng } from './prng.js';
import type { FuzzRequest, FuzzSecrets } from './request.js';
import { garbage, mutate, randomValue } from './values.js';

const COMPLETION = () => ({
  model: 'teambot',
  messages: [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: 'hi' },
  ],
  stream: false,
  temperature: 0.5,
  max_tokens: 8,
  stop: ['\n'],
  seed: 1,
});

/** Every byte of the string's UTF-8 as %XX (encodeURIComponent throws on lone surrogates). */
const percentEncoded = (text: string) =>
  [...Buffer.from(text)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

/** A request to /v1 with a valid key (mostly): completions, tasks, models, odd methods and ids. */
export function apiCase(rng: Rng, secrets: FuzzSecrets): FuzzRequest {
  const headers: Record<string, string> = {
    authorization: rng.chance(0.95)
      ? `Bearer ${secrets.apiKey}`
      : rng.pick(['Bearer ', 'Basic x', 'Bearer wrong', 'bearer']),
    'content-type': rng.chance(0.9)
      ? 'application/json'
      : rng.pick(['text/plain', 'application/json; charset=utf-16']),
  };
  const roll = rng.int(10);
  if (roll < 5) {
    const template = COMPLETION();
    template.stream = rng.chance(0.3);
    const body = rng.chance(0.9) ? (JSON.stringify(mutate(template, rng)) ?? '') : garbage(rng);
    return { kind: 'api.chat', method: 'POST', path: '/v1/chat/completions', headers, body };
  }
  if (roll < 7) {
    const body = JSON.stringify(mutate({ ...COMPLETION(), stream: false }, rng)) ?? '';
    return { kind: 'api.task', method: 'POST', path: '/v1/tasks', headers, body };
  }
  if (roll < 8) {
    const id = rng.pick([
      'x',
      '0',
      '..%2f..',
      '%ff',
      'a'.repeat(300),
      percentEncoded(JSON.stringify(randomValue(rng)) ?? ''),
    ]);
    return { kind: 'api.task-get', method: 'GET', path: `/v1/tasks/${id}`, headers };
  }
  if (roll < 9)
    return { kind: 'api.models', method: rng.pick(['GET', 'POST', 'DELETE']), path: '/v1/models', headers };
  const method = rng.pick(['PUT', 'PATCH', 'DELETE', 'GET', 'OPTIONS']);
  return {
    kind: 'api.method',
    method,
    path: rng.pick(['/v1/chat/completions', '/v1/tasks', '/v1', '/v1/x']),
    headers,
  };
}
