import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call as the fake received it. */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  /** `Date.now()` when it arrived. */
  at: number;
  authorization: string | undefined;
  /** HTTP status answered (429 for a rate-limited attempt). */
  status: number;
  /** Slack's error code when it answered `ok: false`. */
  error?: string;
}

/** A message as it stands in the fake workspace. */
export interface FakeMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  text: string;
  kind: 'post' | 'stream' | 'ephemeral';
  /** For ephemeral messages: who sees it. */
  user?: string;
  streaming: boolean;
  updates: number;
  /** Blocks sent with the message (chat.postMessage / chat.update / chat.stopStream). */
  blocks?: unknown[];
  /** Deleted with chat.delete. */
  deleted?: boolean;
}

export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

export interface FakeFile {
  id: string;
  name: string;
  mimetype: string;
  content: string | Buffer;
}

export interface FakeSlack {
  url: string;
  /** What SLACK_API_URL would be. */
  apiUrl: string;
  token: string;
  /** The app-level token apps.connections.open accepts (Socket Mode). */
  appToken: string;
  botUserId: string;
  botId: string;
  teamId: string;
  calls: SlackCall[];
  messages: FakeMessage[];
  responses: ResponseUrlPost[];
  downloads: Array<{ path: string; authorization: string | undefined }>;
  callsTo(method: string): SlackCall[];
  /** Answers `method` with `{ok: false, error}` for the next `times` calls (default: until cleared). */
  fail(method: string, error: string, times?: number): void;
  /** Answers `method` with HTTP 429 and `Retry-After: seconds` for the next `times` calls (default 1). */
  rateLimit(method: string, seconds: number, times?: number): void;
  /** Answers `method` with this HTTP status (e.g. 500) for the next `times` calls (default 1). */
  httpError(method: string, status: number, times?: number): void;
  clearFailures(): void;
  /** Registers a file; returns the object an event's `files` array carries. */
  addFile(file: FakeFile): Record<string, unknown>;
  addUser(id: string, name: string): void;
  /** A response_url for a slash command. */
  responseUrl(id: string): string;
  /**
   * What Slack does when a user clicks the native stop control of an agent session: the thread's
   * streams stop at once (further appends fail). Returns the stopped messages' ts.
   */
  stopStreamsIn(channel: string, threadTs: string): string[];
  /** The WebSocket URL apps.connections.open hands out. */
  setSocketUrl(url: string): void;
  close(): Promise<void>;
}

type Failure = { method: string; remaining: number } & (
  | { kind: 'error'; error: string }
  | { kind: 'rate'; seconds: number }
  | { kind: 'http'; status: number }
);

type Args = Record<string, unknown>;

const JSON_FIELDS = new Set(['chunks', 'prompts', 'blocks', 'attachments', 'metadata', 'loading_messages']);

async function readBody(req: IncomingMessage): Promise<{ raw: string; args: Args }> {
  let raw = '';
  for await (const chunk of req) raw += String(chunk);
  if ((req.headers['content-type'] ?? '').startsWith('application/json')) {
    return { raw, args: raw === '' ? {} : (JSON.parse(raw) as Args) };
  }
  const args: Args = {};
  // The Web API client sends objects and arrays (chunks, prompts, blocks) as JSON strings.
  for (const [key, value] of new URLSearchParams(raw))
    args[key] = JSON_FIELDS.has(key) ? JSON.parse(value) : value;
  return { raw, args };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Text carried by `markdown_text` or `chunks: [{type: 'markdown_text', text}]`. */
function streamedText(args: Args): string {
  const chunks = Array.isArray(args.chunks) ? (args.chunks as Array<{ type?: string; text?: string }>) : [];
  const fromChunks = chunks.map((c) => (c.type === 'markdown_text' ? (c.text ?? '') : '')).join('');
  return `${typeof args.markdown_text === 'string' ? args.markdown_text : ''}${fromChunks}`;
}

/** A local server speaking enough of Slack's Web API for the adapter's tests. */
export async function startFakeSlack(
  options: { token?: string; appToken?: string; botUserId?: string; botId?: string; teamId?: string } = {},
): Promise<FakeSlack> {
  const token = options.token ?? 'xoxb-test-token';
  const appToken = options.appToken ?? 'xapp-test-token';
  let socketUrl = '';
  const identity = {
    botUserId: options.botUserId ?? 'UBOT',
    botId: options.botId ?? 'BBOT',
    teamId: options.teamId ?? 'T1',
  };
  const calls: SlackCall[] = [];
  const messages: FakeMessage[] = [];
  const responses: ResponseUrlPost[] = [];
  const downloads: FakeSlack['downloads'] = [];
  const files = new Map<string, FakeFile>();
  const users = new Map<string, string>();
  let failures: Failure[] = [];
  let seq = 0;
  let url = '';
  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}`;
  const find = (args: Args) => messages.find((m) => m.channel === args.channel && m.ts === args.ts);
  const fileObject = (f: FakeFile) => ({
    id: f.id,
    name: f.name,
    title: f.name,
    mimetype: f.mimetype,
    size: Buffer.byteLength(f.content),
    url_private: `${url}/files/${f.id}/${encodeURIComponent(f.name)}`,
    url_private_download: `${url}/files/${f.id}/download/${encodeURIComponent(f.name)}`,
  });

  const methods: Record<string, (args: Args) => Args> = {
    'auth.test': () => ({
      url: 'https://fake.slack.com/',
      team: 'Fake',
      user: 'teambot',
      team_id: identity.teamId,
      user_id: identity.botUserId,
      bot_id: identity.botId,
    }),
    'chat.postMessage': (args) => {
      if (typeof args.text !== 'string' || args.text === '') return { ok: false, error: 'no_text' };
      const message: FakeMessage = {
        channel: String(args.channel),
        ts: nextTs(),
        text: args.text,
        kind: 'post',
        streaming: false,
        updates: 0,
        ...(typeof args.thread_ts === 'string' ? { threadTs: args.thread_ts } : {}),
        ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
      };
      messages.push(message);
      return { channel: message.channel, ts: message.ts, message: { text: message.text, ts: message.ts } };
    },
    'chat.update': (args) => {
      const message = find(args);
      if (message === undefined) return { ok: false, error: 'message_not_found' };
      message.text = String(args.text);
      message.updates += 1;
      if (Array.isArray(args.blocks)) message.blocks = args.blocks;
      return { channel: message.channel, ts: message.ts, text: message.text };
    },
    'chat.postEphemeral': (args) => {
      const ts = nextTs();
      messages.push({
        channel: String(args.channel),
        ts,
        text: String(args.text),
        kind: 'ephemeral',
        user: String(args.user),
        streaming: false,
        updates: 0,
        ...(typeof args.thread_ts === 'string' ? { threadTs: args.thread_ts } : {}),
      });
      return { message_ts: ts };
    },
    'chat.startStream': (args) => {
      const channel = String(args.channel);
      if (!channel.startsWith('D') && args.recipient_team_id === undefined)
        return { ok: false, error: 'missing_recipient_team_id' };
      if (!channel.startsWith('D') && args.recipient_user_id === undefined)
        return { ok: false, error: 'missing_recipient_user_id' };
      const message: FakeMessage = {
        channel,
        ts: nextTs(),
        text: streamedText(args),
        kind: 'stream',
        streaming: true,
        updates: 0,
        ...(typeof args.thread_ts === 'string' ? { threadTs: args.thread_ts } : {}),
      };
      messages.push(message);
      return { channel, ts: message.ts };
    },
    'chat.appendStream': (args) => {
      const message = find(args);
      if (message === undefined || !message.streaming)
        return { ok: false, error: 'message_not_in_streaming_state' };
      message.text += streamedText(args);
      return { channel: message.channel, ts: message.ts };
    },
    'chat.stopStream': (args) => {
      const message = find(args);
      if (message === undefined || !message.streaming)
        return { ok: false, error: 'message_not_in_streaming_state' };
      message.text += streamedText(args);
      message.streaming = false;
      if (Array.isArray(args.blocks)) message.blocks = args.blocks;
      return { channel: message.channel, ts: message.ts, message: { text: message.text } };
    },
    'chat.delete': (args) => {
      const message = find(args);
      if (message === undefined || message.deleted === true) return { ok: false, error: 'message_not_found' };
      message.deleted = true;
      return { channel: message.channel, ts: message.ts };
    },
    'agents.sessions.setStatus': (args) =>
      ['processing', 'active', 'suspended', 'closed'].includes(String(args.status))
        ? {}
        : { ok: false, error: 'invalid_arguments' },
    'conversations.replies': (args) => ({
      messages: messages
        .filter(
          (m) =>
            m.channel === args.channel &&
            m.kind !== 'ephemeral' &&
            (m.threadTs === args.ts || m.ts === args.ts) &&
            (typeof args.oldest !== 'string' || m.ts > args.oldest),
        )
        .map((m) => ({ ts: m.ts, text: m.text, user: identity.botUserId, bot_id: identity.botId })),
    }),
    'apps.connections.open': () =>
      socketUrl === '' ? { ok: false, error: 'no_socket' } : { url: socketUrl },
    'assistant.threads.setStatus': () => ({}),
    'assistant.threads.setSuggestedPrompts': () => ({}),
    'assistant.threads.setTitle': () => ({}),
    'files.info': (args) => {
      const file = files.get(String(args.file));
      return file === undefined ? { ok: false, error: 'file_not_found' } : { file: fileObject(file) };
    },
    'users.info': (args) => {
      const name = users.get(String(args.user));
      if (name === undefined) return { ok: false, error: 'user_not_found' };
      return { user: { id: args.user, name, real_name: name, profile: { display_name: name } } };
    },
  };

  function takeFailure(method: string): Failure | undefined {
    const failure = failures.find((f) => f.method === method && f.remaining > 0);
    if (failure !== undefined) failure.remaining -= 1;
    return failure;
  }

  async function api(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const { args } = await readBody(req);
    const authorization = req.headers.authorization ?? (args.token ? `Bearer ${args.token}` : undefined);
    const call: SlackCall = { method, args, at: Date.now(), authorization, status: 200 };
    calls.push(call);
    const expected = method === 'apps.connections.open' ? appToken : token;
    if (authorization !== `Bearer ${expected}`) {
      call.error = authorization === undefined ? 'not_authed' : 'invalid_auth';
      return send(res, 200, { ok: false, error: call.error });
    }
    const failure = takeFailure(method);
    if (failure?.kind === 'rate') {
      call.status = 429;
      return send(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.seconds) });
    }
    if (failure?.kind === 'http') {
      call.status = failure.status;
      return send(res, failure.status, { ok: false, error: 'fake_http_error' });
    }
    const result = failure?.kind === 'error' ? { ok: false, error: failure.error } : methods[method]?.(args);
    const body = result ?? { ok: false, error: 'unknown_method' };
    if (body.ok === false) call.error = String(body.error);
    send(res, 200, { ok: true, ...body });
  }

  function download(req: IncomingMessage, res: ServerResponse, path: string): void {
    downloads.push({ path, authorization: req.headers.authorization });
    const file = files.get(path.split('/')[2] ?? '');
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>sign in to Slack</html>');
    } else if (file === undefined) {
      send(res, 404, { ok: false, error: 'file_not_found' });
    } else {
      res.writeHead(200, { 'content-type': file.mimetype });
      res.end(file.content);
    }
  }

  async function responseUrlPost(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const { args } = await readBody(req);
    if (responses.filter((r) => r.id === id).length >= 5)
      return send(res, 404, { ok: false, error: 'used_url' });
    responses.push({ id, body: args, at: Date.now() });
    send(res, 200, { ok: true });
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const work = path.startsWith('/api/')
      ? api(req, res, path.slice('/api/'.length))
      : path.startsWith('/files/')
        ? Promise.resolve(download(req, res, path))
        : path.startsWith('/response/')
          ? responseUrlPost(req, res, path.slice('/response/'.length))
          : Promise.resolve(send(res, 404, { ok: false, error: 'not_found' }));
    work.catch((error: unknown) => send(res, 500, { ok: false, error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    apiUrl: `${url}/api/`,
    token,
    appToken,
    ...identity,
    calls,
    messages,
    responses,
    downloads,
    callsTo: (method) => calls.filter((c) => c.method === method),
    fail: (method, error, times = Number.POSITIVE_INFINITY) =>
      failures.push({ method, kind: 'error', error, remaining: times }),
    rateLimit: (method, seconds, times = 1) =>
      failures.push({ method, kind: 'rate', seconds, remaining: times }),
    httpError: (method, status, times = 1) =>
      failures.push({ method, kind: 'http', status, remaining: times }),
    clearFailures: () => {
      failures = [];
    },
    addFile: (file) => {
      files.set(file.id, file);
      return fileObject(file);
    },
    addUser: (id, name) => users.set(id, name),
    responseUrl: (id) => `${url}/response/${id}`,
    stopStreamsIn: (channel, threadTs) => {
      const stopped = messages.filter((m) => m.channel === channel && m.threadTs === threadTs && m.streaming);
      for (const message of stopped) message.streaming = false;
      return stopped.map((m) => m.ts);
    },
    setSocketUrl: (next) => {
      socketUrl = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Polls `probe` (sync or async: a promise is awaited, not taken as the answer) until it gives
 * something other than undefined/false, or fails after `timeoutMs`.
 */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
