import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect as netConnect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockedKind } from '../../src/util/ssrf/address.js';
import type { Connect, ConnectTarget, Resolve } from '../../src/util/ssrf/connect.js';
import { FetchRefusedError } from '../../src/util/ssrf/errors.js';
import { type GuardedFetchOptions, guardedFetch } from '../../src/util/ssrf/guarded-fetch.js';

describe('blockedKind', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.9.8.7', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'metadata'],
    ['169.254.1.1', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fd00:ec2::254', 'metadata'],
    ['fd12:3456::1', 'private'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:10.0.0.1', 'private'],
    ['::10.0.0.1', 'private'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['2002:c0a8:0101::1', 'private'],
    ['not-an-ip', 'reserved'],
  ])('%s is %s', (address, kind) => {
    expect(blockedKind(address)).toBe(kind);
  });

  it.each(['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8', '172.32.0.1'])(
    '%s is public',
    (address) => {
      expect(blockedKind(address)).toBeUndefined();
    },
  );
});

/** A loopback server standing in for "the internet": the injected connect step sends every checked address here. */
let server: Server;
let port: number;
const served: string[] = [];
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

beforeAll(async () => {
  server = createServer((req, res) => {
    served.push(`${req.headers.host}${req.url}`);
    const url = req.url ?? '/';
    if (url === '/image.png') {
      res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    } else if (url.startsWith('/redirect?to=')) {
      res.writeHead(302, { location: decodeURIComponent(url.slice('/redirect?to='.length)) }).end();
    } else if (url === '/loop') {
      res.writeHead(302, { location: '/loop' }).end();
    } else if (url === '/big') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(Buffer.alloc(4096));
    } else if (url === '/slow') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(PNG); // and never ends
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Public-looking names for the test: nothing but these resolve. */
const DNS: Record<string, string[]> = {
  'images.example': ['93.184.216.34'],
  'rebind.example': ['93.184.216.34', '10.0.0.7'],
  'metadata.example': ['169.254.169.254'],
  'private.example': ['192.168.0.10'],
  'v6private.example': ['fd00::5'],
  'mapped.example': ['::ffff:127.0.0.1'],
};

function harness() {
  const resolved: string[] = [];
  const connected: ConnectTarget[] = [];
  const resolve: Resolve = async (hostname) => {
    resolved.push(hostname);
    const list = DNS[hostname];
    if (list === undefined) throw new Error('ENOTFOUND');
    return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  // Every connection, whatever the checked address, goes to the loopback server: nothing leaves the host.
  const connect: Connect = (target) => {
    connected.push(target);
    return netConnect({ host: '127.0.0.1', port });
  };
  const options = (more: Partial<GuardedFetchOptions> = {}): GuardedFetchOptions => ({
    allowPrivate: false,
    maxBytes: 1024,
    timeoutMs: 2000,
    maxRedirects: 2,
    resolve,
    connect,
    ...more,
  });
  return { resolved, connected, options };
}

async function refusal(promise: Promise<unknown>): Promise<FetchRefusedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FetchRefusedError);
  return error as FetchRefusedError;
}

describe('guardedFetch', () => {
  it('fetches from a public address, connecting to the address it checked', async () => {
    const h = harness();
    const got = await guardedFetch('http://images.example/image.png', h.options());
    expect(got.data.equals(PNG)).toBe(true);
    expect(got.contentType).toBe('image/png');
    expect(h.connected).toEqual([
      { address: '93.184.216.34', family: 4, port: 80, tls: false, hostname: 'images.example' },
    ]);
    expect(served.at(-1)).toBe('images.example/image.png');
  });

  it.each([
    ['http://127.0.0.1/image.png', 'loopback'],
    ['http://localhost.private.example/', 'unreachable'],
    ['http://[::1]/image.png', 'loopback'],
    ['http://[::ffff:127.0.0.1]/image.png', 'loopback'],
    ['http://[fe80::1]/image.png', 'link-local'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://[fd00:ec2::254]/latest/meta-data/', 'metadata'],
    ['http://2130706433/image.png', 'loopback'], // 127.0.0.1 as one decimal number
    ['http://0x7f.1/image.png', 'loopback'],
    ['http://metadata.example/', 'metadata'],
    ['http://private.example/image.png', 'private'],
    ['http://v6private.example/image.png', 'private'],
    ['http://mapped.example/image.png', 'loopback'],
    ['http://rebind.example/image.png', 'private'],
    ['http://100.64.0.1/image.png', 'cgnat'],
    ['http://0.0.0.0/image.png', 'unspecified'],
  ])('refuses %s (%s) without connecting', async (url, kind) => {
    const h = harness();
    const error = await refusal(guardedFetch(url, h.options()));
    if (kind === 'unreachable') expect(error.code).toBe('unreachable');
    else {
      expect(error.code).toBe('refused_address');
      expect(error.message).toContain(kind);
    }
    expect(h.connected).toEqual([]);
  });

  it('re-checks every redirect hop: a public URL redirecting to a private one is refused', async () => {
    const h = harness();
    for (const target of [
      'http://169.254.169.254/latest/meta-data/',
      'http://127.0.0.1/admin',
      'http://[::1]/admin',
      'http://private.example/',
    ]) {
      const url = `http://images.example/redirect?to=${encodeURIComponent(target)}`;
      const error = await refusal(guardedFetch(url, h.options()));
      expect(error.code).toBe('refused_address');
    }
    // Only the first hop of each was ever connected to.
    expect(h.connected.map((c) => c.address)).toEqual(new Array(4).fill('93.184.216.34'));
  });

  it('follows public redirects up to the limit', async () => {
    const h = harness();
    const ok = await guardedFetch(
      `http://images.example/redirect?to=${encodeURIComponent('http://images.example/image.png')}`,
      h.options(),
    );
    expect(ok.url).toBe('http://images.example/image.png');
    const error = await refusal(guardedFetch('http://images.example/loop', h.options()));
    expect(error.code).toBe('too_many_redirects');
    expect(h.connected.length).toBe(2 + 3);
  });

  it('refuses other schemes, credentials and bad URLs', async () => {
    const h = harness();
    for (const url of [
      'file:///etc/passwd',
      'ftp://images.example/x',
      'http://u:p@images.example/',
      'nope',
    ]) {
      expect((await refusal(guardedFetch(url, h.options()))).code).toBe('invalid_url');
    }
    const redirect = `http://images.example/redirect?to=${encodeURIComponent('file:///etc/passwd')}`;
    expect((await refusal(guardedFetch(redirect, h.options()))).code).toBe('invalid_url');
  });

  it('caps the size, reports error statuses and times out', async () => {
    const h = harness();
    expect((await refusal(guardedFetch('http://images.example/big', h.options()))).code).toBe('too_large');
    expect((await refusal(guardedFetch('http://images.example/missing', h.options()))).code).toBe(
      'bad_status',
    );
    const slow = await refusal(guardedFetch('http://images.example/slow', h.options({ timeoutMs: 300 })));
    expect(slow.code).toBe('timeout');
    expect((await refusal(guardedFetch('http://unknown.example/', h.options()))).code).toBe('unreachable');
    const hangingDns = h.options({ timeoutMs: 200, resolve: () => new Promise(() => {}) });
    expect((await refusal(guardedFetch('http://images.example/image.png', hangingDns))).code).toBe('timeout');
  });

  it('with the allow setting, fetches a real image from 127.0.0.1 over the default connect step', async () => {
    const got = await guardedFetch(`http://127.0.0.1:${port}/image.png`, {
      allowPrivate: true,
      maxBytes: 1024,
      timeoutMs: 2000,
      maxRedirects: 0,
    });
    expect(got.data.equals(PNG)).toBe(true);
  });
});
