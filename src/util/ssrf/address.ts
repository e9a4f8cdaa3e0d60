import { isIPv4, isIPv6 } from 'node:net';

/** Why an address may not be fetched from (SSRF), or undefined for a public unicast address. */
export type BlockedKind =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'metadata'
  | 'cgnat'
  | 'multicast'
  | 'reserved';

/** Cloud metadata endpoints (AWS, GCP, Azure, OpenStack; AWS's IPv6 one). */
const METADATA = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200']);
const METADATA_V6 = ['fd00:ec2::254'];

/** [first octets as a 32-bit number, prefix length, kind], checked in order. */
const V4_RANGES: Array<[string, number, BlockedKind]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

function v4Number(address: string): number {
  return address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function inV4(value: number, base: string, bits: number): boolean {
  const size = 2 ** (32 - bits);
  const start = v4Number(base);
  return value >= start && value < start + size;
}

function classifyV4(address: string): BlockedKind | undefined {
  if (METADATA.has(address)) return 'metadata';
  const value = v4Number(address);
  for (const [base, bits, kind] of V4_RANGES) if (inV4(value, base, bits)) return kind;
  return undefined;
}

/** The 8 groups of an IPv6 address (dotted IPv4 tails and `::` expanded); the zone id dropped. */
export function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1] !== undefined) {
    const n = v4Number(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((g) => Number.parseInt(g, 16));
}

function v4From(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

function classifyV6(address: string): BlockedKind | undefined {
  const g = ipv6Groups(address);
  const [a = 0, b = 0, , , , f = 0, h7 = 0, h8 = 0] = g;
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (METADATA_V6.some((m) => ipv6Groups(m).every((x, i) => x === g[i]))) return 'metadata';
  if (zeroUpTo(8)) return 'unspecified';
  if (zeroUpTo(7) && h8 === 1) return 'loopback';
  // IPv4 inside IPv6: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::/96), 6to4 (2002::/16).
  if (zeroUpTo(5) && (f === 0xffff || f === 0))
    return classifyV4(v4From(h7, h8)) ?? (f === 0 ? 'reserved' : undefined);
  if (a === 0x64 && b === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return classifyV4(v4From(h7, h8));
  if (a === 0x2002) return classifyV4(v4From(b, g[2] ?? 0));
  if ((a & 0xfe00) === 0xfc00) return 'private'; // unique local fc00::/7
  if ((a & 0xffc0) === 0xfe80) return 'link-local';
  if ((a & 0xffc0) === 0xfec0) return 'private'; // site-local (deprecated)
  if ((a & 0xff00) === 0xff00) return 'multicast';
  if (a === 0x2001 && b === 0x0db8) return 'reserved'; // documentation
  if (a === 0x0100 && zeroUpTo(4)) return 'reserved'; // discard-only 100::/64
  return undefined;
}

/**
 * Why connecting to `address` (an IP literal) is refused by the SSRF guard, or undefined when it is a
 * public unicast address. IPv4 written inside IPv6 (mapped, compatible, NAT64, 6to4) is judged as the
 * IPv4 address it carries. Anything that is not an IP literal counts as reserved.
 */
export function blockedKind(address: string): BlockedKind | undefined {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isIPv4(bare)) return classifyV4(bare);
  if (isIPv6(bare)) return classifyV6(bare);
  return 'reserved';
}
