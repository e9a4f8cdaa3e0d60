import { gzipSync } from 'node:zlib';
import { signBody } from '../helpers/lark-crypto.js';
import type { Rng } from './prng.js';
import type { FuzzRequest, FuzzSecrets } from './request.js';
import { signedSlack } from './slack-cases.js';
import { garbage } from './values.js';

const MB = 1024 * 1024;

let bombBytes: Buffer | undefined;
/** 8 MB of spaces gzipped to a few KB, made once. */
const bomb = () => (bombBytes ??= gzipSync(Buffer.alloc(8 * MB, 32)));

/** Probes, signed file links with bad signatures, paths no route has, and odd methods. */
export function otherCase(rng: Rng): FuzzRequest {
  const roll = rng.int(4);
  if (roll === 0)
    return { kind: 'probe', method: 'GET', path: rng.pick(['/health', '/ready', '/metrics']), headers: {} };
  if (roll === 1) {
    const key = rng.pick(['media/x.png', '..%2f..%2fetc%2fpasswd', '%00', 'a/'.repeat(100), '']);
    const query = rng.pick([
      '',
      '?expires=1&sig=x',
      `?expires=${2 ** 40}&sig=`,
      '?expires=abc&sig=%ff',
      '?sig[]=1',
    ]);
    return {
      kind: 'files',
      method: rng.pick(['GET', 'HEAD', 'POST']),
      path: `/files/${key}${query}`,
      headers: {},
    };
  }
  if (roll === 2) {
    const path = rng.pick([
      '/',
      '/%',
      '/slack',
      '/lark',
      '/v2',
      '/health/x',
      '/..',
      '/%2e%2e/',
      `/${'x'.repeat(4000)}`,
    ]);
    return { kind: 'unrouted', method: rng.pick(['GET', 'POST', 'DELETE']), path, headers: {} };
  }
  const path = rng.pick(['/slack/events', '/lark/events', '/lark/cards', '/health', '/metrics']);
  return {
    kind: 'method',
    method: rng.pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']),
    path,
    headers: {},
  };
}

/** Bodies past every limit (1 MB) by up to half as much again, signed so that only their size is wrong. */
export function oversizeCase(rng: Rng, secrets: FuzzSecrets): FuzzRequest {
  const size = MB + 1 + rng.int(MB / 2);
  const roll = rng.int(3);
  if (roll === 0) {
    const contentType = rng.pick(['application/json', 'application/x-www-form-urlencoded']);
    const body =
      contentType === 'application/json' ? `{"x":"${'a'.repeat(size)}"}` : `text=${'a'.repeat(size)}`;
    return { ...signedSlack('oversize.slack', secrets, body, contentType, rng), kind: 'oversize.slack' };
  }
  if (roll === 1) {
    const signed = signBody(secrets.larkEncryptKey, `{"encrypt":"${'A'.repeat(size)}"}`);
    return { kind: 'oversize.lark', method: 'POST', path: '/lark/events', ...signed };
  }
  const headers = { authorization: `Bearer ${secrets.apiKey}`, 'content-type': 'application/json' };
  return {
    kind: 'oversize.api',
    method: 'POST',
    path: '/v1/chat/completions',
    headers,
    body: `{"m":"${'a'.repeat(size)}"}`,
  };
}

/** Bodies the JSON parser must refuse early: compressed garbage, a gzip bomb, odd charsets. */
export function encodingCase(rng: Rng, secrets: FuzzSecrets): FuzzRequest {
  const path = rng.pick(['/slack/events', '/lark/events', '/v1/chat/completions']);
  const headers: Record<string, string> = {
    authorization: `Bearer ${secrets.apiKey}`,
    'content-type': 'application/json',
  };
  const roll = rng.int(4);
  if (roll === 0)
    return {
      kind: 'encoding.bad',
      method: 'POST',
      path,
      headers: { ...headers, 'content-encoding': rng.pick(['gzip', 'br', 'deflate', 'zstd', 'x']) },
      body: garbage(rng),
    };
  if (roll === 1) {
    return {
      kind: 'encoding.bomb',
      method: 'POST',
      path,
      headers: { ...headers, 'content-encoding': 'gzip' },
      body: bomb(),
    };
  }
  if (roll === 2) {
    const charset = rng.pick(['latin9', 'utf-16', 'x-unknown', 'utf-8; x=y']);
    return {
      kind: 'encoding.charset',
      method: 'POST',
      path,
      headers: { ...headers, 'content-type': `application/json; charset=${charset}` },
      body: '{}',
    };
  }
  return {
    kind: 'encoding.gzip',
    method: 'POST',
    path,
    headers: { ...headers, 'content-encoding': 'gzip' },
    body: gzipSync(Buffer.from(garbage(rng))),
  };
}
