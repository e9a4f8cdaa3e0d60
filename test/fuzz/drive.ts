import { dmMessage, envelope } from '../bot/adapters/slack/payloads.js';
import { signJson } from '../helpers/slack-signing.js';
import { generateRequest } from './generate.js';
import { createRng } from './prng.js';
import type { FuzzRequest } from './request.js';
import { FUZZ_SECRETS, type FuzzTarget } from './target.js';

export interface FuzzOptions {
  n: number;
  seed: number;
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  /** A valid Slack DM from a fresh user every this many requests, which must be answered (default 500). */
  canaryEvery?: number;
  /** GET /health every this many requests (default 200). */
  healthEvery?: number;
}

export interface FuzzReport {
  sent: number;
  /** How many answers per status ('dropped' when the connection failed without one). */
  statuses: Record<string, number>;
  /** Requests answered 5xx or dropped, for the failure message. */
  failures: Array<{ kind: string; method: string; path: string; status: number | 'dropped'; detail: string }>;
  byKind: Record<string, number>;
  healthFailures: number;
  /** Slack and Lark deliveries answered after 2.5 s (the platforms give up at 3 s). */
  slow: Array<{ kind: string; ms: number }>;
  /** The canary channels (one DM each) that must each get an answer. */
  canaries: string[];
  ms: number;
}

const TIMEOUT_MS = 10_000;
const SLOW_MS = 2_500;

async function send(
  url: string,
  request: FuzzRequest,
): Promise<{ status: number | 'dropped'; detail: string }> {
  try {
    const init: RequestInit = {
      method: request.method,
      headers: request.headers,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    };
    if (request.body !== undefined && request.method !== 'GET' && request.method !== 'HEAD')
      init.body = request.body;
    const res = await fetch(`${url}${request.path}`, init);
    const detail = (await res.text()).slice(0, 200);
    return { status: res.status, detail };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? '';
    return { status: 'dropped', detail: `${(error as Error).message} ${cause}`.trim() };
  }
}

function canary(index: number): { channel: string; request: FuzzRequest } {
  const channel = `DCANARY${index}`;
  const event = envelope(dmMessage({ channel, user: `UCANARY${index}`, text: `canary ${index}` }));
  const signed = signJson(FUZZ_SECRETS.slackSigningSecret, event);
  return { channel, request: { kind: 'canary', method: 'POST', path: '/slack/events', ...signed } };
}

/** Sends `n` generated requests (plus canaries and health checks) with a few in flight at a time. */
export async function runFuzz(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  const rng = createRng(options.seed);
  const concurrency = options.concurrency ?? 8;
  const canaryEvery = options.canaryEvery ?? 500;
  const healthEvery = options.healthEvery ?? 200;
  const report: FuzzReport = {
    sent: 0,
    statuses: {},
    failures: [],
    byKind: {},
    healthFailures: 0,
    slow: [],
    canaries: [],
    ms: 0,
  };
  const started = Date.now();
  let index = 0;
  const nextRequest = (): FuzzRequest | undefined => {
    if (index >= options.n) return undefined;
    index += 1;
    if (index % canaryEvery === 0) {
      const c = canary(report.canaries.length);
      report.canaries.push(c.channel);
      return c.request;
    }
    if (index % healthEvery === 0) return { kind: 'health', method: 'GET', path: '/health', headers: {} };
    return generateRequest(rng, FUZZ_SECRETS);
  };
  const worker = async () => {
    for (let request = nextRequest(); request !== undefined; request = nextRequest()) {
      const sentAt = Date.now();
      const { status, detail } = await send(target.url, request);
      const ms = Date.now() - sentAt;
      if (ms > SLOW_MS && /^(slack|lark|canary)/.test(request.kind))
        report.slow.push({ kind: request.kind, ms });
      report.sent += 1;
      report.statuses[String(status)] = (report.statuses[String(status)] ?? 0) + 1;
      report.byKind[request.kind] = (report.byKind[request.kind] ?? 0) + 1;
      if (request.kind === 'health' && status !== 200) report.healthFailures += 1;
      if (status === 'dropped' || status >= 500) {
        report.failures.push({
          kind: request.kind,
          method: request.method,
          path: request.path.slice(0, 80),
          status,
          detail,
        });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  report.ms = Date.now() - started;
  return report;
}

/** Lines of the server's output that say it lost control: unhandled rejections, uncaught exceptions. */
export function lostControl(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => /unhandled promise rejection|uncaught exception|"level":60/.test(line));
}
