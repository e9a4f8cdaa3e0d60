import type { Rng } from './prng.js';

const STRINGS = [
  '',
  ' ',
  '\u0000',
  'null',
  '<@UBOT>',
  '/ask',
  '/teambot help',
  '/admin role U1 admin',
  '问 你好',
  '帮助',
  '💥'.repeat(40),
  '\ud800',
  '../../etc/passwd',
  'http://127.0.0.1:9/x',
  '%00%ff',
  '{"a":',
  '`'.repeat(300),
  'a'.repeat(5000),
];

/** Any JSON value (or `undefined`, which drops the field): the shapes parsers trip on. */
export function randomValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 2 ? 7 : 10)) {
    case 0:
      return null;
    case 1:
      return undefined;
    case 2:
      return rng.pick([0, -1, 1e308, -0, 3.5, 2 ** 53 + 1, 1700000000]);
    case 3:
      return rng.chance(0.5);
    case 4:
    case 5:
      return rng.pick(STRINGS);
    case 6:
      return String.fromCharCode(...Array.from({ length: rng.int(20) }, () => rng.int(0x3000)));
    case 7:
      return Array.from({ length: rng.int(4) }, () => randomValue(rng, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = rng.int(4); i > 0; i--) {
        // defineProperty, so that '__proto__' becomes an own key (as JSON.parse makes it), not the prototype.
        const key = rng.pick(['type', 'text', 'id', 'event', 'x', '__proto__']);
        Object.defineProperty(out, key, {
          value: randomValue(rng, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
  }
}

/** A copy of `template` with a few fields, at any depth, replaced by random values or dropped. */
export function mutate(template: unknown, rng: Rng, mutations = 1 + rng.int(3)): unknown {
  const copy = structuredClone(template) as unknown;
  if (typeof copy !== 'object' || copy === null) return randomValue(rng);
  for (let m = 0; m < mutations; m++) {
    let node = copy as Record<string, unknown>;
    for (;;) {
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const key = rng.pick(keys);
      const child = node[key];
      if (typeof child === 'object' && child !== null && rng.chance(0.6)) {
        node = child as Record<string, unknown>;
        continue;
      }
      const value = randomValue(rng);
      if (value === undefined) delete node[key];
      else node[key] = value;
      break;
    }
  }
  return copy;
}

/** Bytes that are not JSON, or barely: truncated, binary, deeply nested, huge numbers. */
export function garbage(rng: Rng): string {
  switch (rng.int(6)) {
    case 0:
      return '';
    case 1:
      return Buffer.from(Array.from({ length: rng.int(200) }, () => rng.int(256))).toString('latin1');
    case 2:
      return `${'['.repeat(2000 + rng.int(3000))}`;
    case 3:
      return '{"event":';
    case 4:
      return JSON.stringify(randomValue(rng)) ?? 'undefined';
    default:
      return `payload=${encodeURIComponent(rng.pick(['{', 'null', '[]', '{"type":1}', '"s"']))}`;
  }
}
