import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { answerChat, type FakeBehavior, sendJson } from './fake-openai-answer.js';

export type { FakeBehavior } from './fake-openai-answer.js';

export interface FakeOpenAIOptions {
  behavior?: FakeBehavior;
  /** Models listed by `GET /v1/models`. Default ['fake-model']. */
  models?: string[];
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401. */
  apiKey?: string;
  /** Default 0 (any free port). */
  port?: number;
}

export interface RecordedRequest {
  method: string;
  /** e.g. '/v1/chat/completions'. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (undefined when there is none). */
  body: unknown;
  /** Resolves when the exchange ends: 'completed', or 'aborted' when the client went away first. */
  closed: Promise<'completed' | 'aborted'>;
}

export interface FakeOpenAI {
  /** The base URL, ending in /v1 (what OPENAI_BASE_URL would be). */
  url: string;
  /** Every request received, in order (recorded once its body has been read). */
  requests: RecordedRequest[];
  /** Replaces the behaviour for later requests (unset fields take their defaults). */
  setBehavior(behavior: FakeBehavior): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let raw = '';
  for await (const chunk of req) raw += String(chunk);
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function whenClosed(res: ServerResponse): Promise<'completed' | 'aborted'> {
  return new Promise((resolve) =>
    res.on('close', () => resolve(res.writableFinished ? 'completed' : 'aborted')),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a local server on 127.0.0.1 speaking OpenAI's chat-completions protocol (streaming and not). */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  let behavior: FakeBehavior = options.behavior ?? {};
  const requests: RecordedRequest[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const closed = whenClosed(res);
    const body = await readBody(req);
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body, closed });
    const current = behavior;
    if (current.firstDelayMs !== undefined && path === '/v1/chat/completions')
      await sleep(current.firstDelayMs);
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      sendJson(res, 401, { error: { message: 'Invalid API key', type: 'invalid_request_error' } });
    } else if (current.error !== undefined) {
      const { status, message, type } = current.error;
      sendJson(res, status, { error: { message, type: type ?? 'error' } });
    } else if (req.method === 'GET' && path === '/v1/models') {
      const models = current.models ?? options.models ?? ['fake-model'];
      const data = models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' }));
      sendJson(res, 200, { object: 'list', data });
    } else if (req.method === 'POST' && path === '/v1/chat/completions') {
      await answerChat(res, body, current);
    } else {
      sendJson(res, 404, { error: { message: `No route for ${req.method} ${path}`, type: 'not_found' } });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { error: { message: String(error), type: 'fake_failure' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    setBehavior(next) {
      behavior = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// `npx tsx test/helpers/fake-openai.ts` starts one and prints its URL (env FAKE_OPENAI_PORT, FAKE_OPENAI_REPLY).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const reply = process.env.FAKE_OPENAI_REPLY;
  const fake = await startFakeOpenAI({
    port: Number(process.env.FAKE_OPENAI_PORT ?? 0),
    behavior: reply === undefined ? {} : { reply },
  });
  console.log(fake.url);
}
