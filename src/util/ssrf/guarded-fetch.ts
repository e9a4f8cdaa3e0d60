import { type IncomingMessage, request } from 'node:http';
import { isIP } from 'node:net';
import { readCapped } from '../read-capped.js';
import { blockedKind } from './address.js';
import { type Connect, directConnect, type Resolve, type ResolvedAddress, systemResolve } from './connect.js';
import { FetchRefusedError } from './errors.js';

export interface GuardedFetchOptions {
  /** Let private, loopback, link-local, metadata … addresses through (tests, closed networks). */
  allowPrivate: boolean;
  /** Bodies larger than this are refused (Content-Length first, then while streaming). */
  maxBytes: number;
  /** For the whole fetch, redirects included. */
  timeoutMs: number;
  /** Redirects followed at most; every hop is checked like the first. */
  maxRedirects: number;
  /** Default: the system resolver (all addresses). Injected in tests. */
  resolve?: Resolve;
  /** Default: a TCP (or TLS) connection to the checked address. Injected in tests. */
  connect?: Connect;
  signal?: AbortSignal;
  accept?: string;
}

export interface FetchedBody {
  data: Buffer;
  /** The Content-Type header, if any (a hint only: callers sniff the bytes). */
  contentType: string | undefined;
  /** The URL the body came from (after redirects). */
  url: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchRefusedError('invalid_url', 'The image URL is not a valid URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new FetchRefusedError('invalid_url', 'Only http and https image URLs can be fetched.');
  if (url.username !== '' || url.password !== '')
    throw new FetchRefusedError('invalid_url', 'Image URLs with credentials are not fetched.');
  return url;
}

/** The one address to connect to, after checking every address the host has. */
/** Settles with `work`, or rejects when `signal` aborts first (a resolver that hangs past the deadline). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function checkedAddress(
  url: URL,
  options: GuardedFetchOptions,
  signal: AbortSignal,
): Promise<ResolvedAddress> {
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(hostname);
  let addresses: ResolvedAddress[];
  if (family !== 0) addresses = [{ address: hostname, family: family === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await untilAborted((options.resolve ?? systemResolve)(hostname), signal);
    } catch (error) {
      if (signal.aborted) throw error;
      addresses = [];
    }
  }
  const first = addresses[0];
  if (first === undefined)
    throw new FetchRefusedError('unreachable', `The image host ${hostname} could not be resolved.`);
  if (!options.allowPrivate) {
    for (const { address } of addresses) {
      const kind = blockedKind(address);
      if (kind !== undefined)
        throw new FetchRefusedError(
          'refused_address',
          `The image URL points to a ${kind} address, which this server does not fetch from.`,
        );
    }
  }
  return first;
}

/** One GET on a connection pinned to `address`; the response is handed over with its body unread. */
function get(url: URL, address: ResolvedAddress, options: GuardedFetchOptions, signal: AbortSignal) {
  const tls = url.protocol === 'https:';
  const port = url.port === '' ? (tls ? 443 : 80) : Number(url.port);
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const connect = options.connect ?? directConnect;
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = request({
      method: 'GET',
      path: `${url.pathname}${url.search}`,
      headers: { host: url.host, accept: options.accept ?? '*/*', 'user-agent': 'teambot' },
      createConnection: () => connect({ ...address, port, tls, hostname }),
      signal,
    });
    req.on('response', resolve);
    req.on('error', (error) => reject(signal.aborted ? error : unreachable(hostname)));
    req.end();
  });
}

function unreachable(hostname: string): FetchRefusedError {
  return new FetchRefusedError('unreachable', `The image could not be downloaded from ${hostname}.`);
}

/** The body, refused past `maxBytes` (Content-Length first, then while streaming). */
async function readBody(res: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const announced = Number(res.headers['content-length']);
  const body =
    Number.isFinite(announced) && announced > maxBytes ? undefined : await readCapped(res, maxBytes);
  if (body !== undefined) return body;
  res.destroy();
  throw new FetchRefusedError('too_large', `The image is larger than ${Math.floor(maxBytes / 1024)} KiB.`);
}

/**
 * GET a URL someone else gave us, without letting it reach inside our network (SSRF): the host is
 * resolved once, every address it has is checked (see address.ts), and the connection goes to the
 * checked address itself, so a second DNS answer cannot swap it (rebinding). Redirects are followed
 * by hand, each hop checked again, at most `maxRedirects`; bodies are capped; the whole fetch has one
 * deadline. Every failure is a FetchRefusedError with a message fit for the caller.
 */
export async function guardedFetch(raw: string, options: GuardedFetchOptions): Promise<FetchedBody> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal === undefined ? deadline : AbortSignal.any([deadline, options.signal]);
  let url = parseUrl(raw);
  try {
    for (let hop = 0; ; hop++) {
      const address = await checkedAddress(url, options, signal);
      signal.throwIfAborted();
      const res = await get(url, address, options, signal);
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECTS.has(status) && location !== undefined) {
        res.resume();
        if (hop >= options.maxRedirects)
          throw new FetchRefusedError(
            'too_many_redirects',
            `The image URL redirected more than ${options.maxRedirects} times.`,
          );
        url = parseUrl(new URL(location, url).toString());
        continue;
      }
      if (status < 200 || status >= 300) {
        res.resume();
        throw new FetchRefusedError('bad_status', `The image URL answered HTTP ${status}.`);
      }
      const data = await readBody(res, options.maxBytes);
      return { data, contentType: res.headers['content-type'], url: url.toString() };
    }
  } catch (error) {
    if (error instanceof FetchRefusedError) throw error;
    if (deadline.aborted)
      throw new FetchRefusedError('timeout', `The image took longer than ${options.timeoutMs} ms to fetch.`);
    if (options.signal?.aborted === true) throw error;
    throw unreachable(url.hostname);
  }
}
