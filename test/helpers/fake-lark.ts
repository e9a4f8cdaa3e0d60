import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export { waitFor } from './fake-slack.js';

/** One OpenAPI call as the fake received it. */
export interface LarkCall {
  /** e.g. `im.message.reply`, `cardkit.cardElement.content`. */
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  /** `Date.now()` when it arrived. */
  at: number;
  authorization: string | undefined;
  /** HTTP status answered. */
  status: number;
  /** Lark's `code` answered (0 for success). */
  code: number;
}

/** A message the bot sent, as it stands. */
export interface FakeLarkMessage {
  messageId: string;
  /** The message replied to (im.v1.message.reply), else undefined. */
  replyTo?: string;
  /** `reply_in_thread` of the reply. */
  inThread: boolean;
  /** For im.v1.message.create: `receive_id_type` and `receive_id`. */
  receiveIdType?: string;
  receiveId?: string;
  msgType: string;
  /** The JSON content string; replaced by patches. */
  content: string;
  uuid?: string;
  /** The CardKit card this message shows (content `{"type":"card","data":{"card_id"}}`). */
  cardId?: string;
  /** `Date.now()` of each im.v1.message.patch applied. */
  patches: number[];
}

/** A CardKit card entity. */
export interface FakeCard {
  cardId: string;
  card: Record<string, unknown>;
  streaming: boolean;
  /** element_id → its markdown content. */
  elements: Map<string, string>;
  /** The last sequence applied. */
  sequence: number;
  /** Every operation applied, in order. */
  ops: Array<{ kind: 'create' | 'content' | 'settings' | 'update'; at: number; sequence: number }>;
  sent: boolean;
}

export interface Failure {
  status?: number;
  code?: number;
  msg?: string;
  /** How many calls fail (default: all, until cleared). */
  times?: number;
}

export interface FakeLark {
  url: string;
  appId: string;
  appSecret: string;
  tenantToken: string;
  botOpenId: string;
  botName: string;
  calls: LarkCall[];
  messages: FakeLarkMessage[];
  /** Messages the bot recalled (im.v1.message.delete), no longer in `messages`. */
  recalled: FakeLarkMessage[];
  cards: Map<string, FakeCard>;
  downloads: Array<{
    messageId: string;
    fileKey: string;
    type: string | null;
    authorization: string | undefined;
  }>;
  callsTo(method: string): LarkCall[];
  /** What a message shows: a text's text, or a card's markdown. */
  textOf(message: FakeLarkMessage): string;
  /** Answers `method` with an error (default HTTP 400, code 99991672 missing scope). */
  fail(method: string, failure?: Failure): void;
  /** Carries out the next `times` calls to `method` but answers HTTP 502, as if the answer were lost. */
  loseResponse(method: string, times?: number): void;
  clearFailures(): void;
  /** A file of a user's message, served by im.v1.messageResource.get. */
  addResource(messageId: string, fileKey: string, content: Buffer | string, contentType: string): void;
  /** The WebSocket URL /callback/ws/endpoint hands out, and the PingInterval (s) it tells the client. */
  setWsUrl(url: string, pingIntervalS?: number): void;
  close(): Promise<void>;
}

type Body = Record<string, unknown>;
type Answer = { status?: number; body: Body };
type Route = {
  method: string;
  verb: string;
  pattern: RegExp;
  handle(match: string[], body: Body, query: URLSearchParams): Answer;
};

export const MISSING_SCOPE = 99991672;
/** Codes the fake makes up for CardKit rules (the real ones are not documented in one place). */
export const SEQUENCE_ERROR = 300317;
export const STREAMING_CLOSED = 300309;
export const CARD_TOO_LARGE = 230099;
const CARD_BYTES = 30 * 1024;
/** Lark refuses a card with more tables (230099 wrapping ErrCode 11310) or elements (300305). */
export const CARD_TABLES = 5;
export const CARD_ELEMENTS = 200;

type CardElement = { tag?: string; content?: string; elements?: unknown[]; columns?: unknown[] };

/** Every element of a card JSON 2.0 body, nested ones (columns, their elements) included. */
function cardElements(elements: unknown[] = []): CardElement[] {
  return elements.flatMap((e) => {
    const element = e as CardElement;
    return [element, ...cardElements(element.elements), ...cardElements(element.columns)];
  });
}

/** Markdown tables outside code blocks: a row with `|` then a delimiter row. */
function countTables(markdown: string): number {
  let fenced = false;
  let count = 0;
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced || !line.includes('|')) continue;
    if (/^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/.test(lines[i + 1] ?? '')) {
      count++;
      while (i + 2 < lines.length && (lines[i + 2] as string).includes('|')) i++;
      i++;
    }
  }
  return count;
}

/** Lark's answer to a card over its limits, or undefined. */
function cardOverLimits(
  card: unknown,
  replaced?: { elementId: string; content: string },
): Answer | undefined {
  const body = (card as { body?: { elements?: unknown[] } }).body;
  const elements = cardElements(body?.elements);
  if (elements.length > CARD_ELEMENTS) return err(300305, 'ErrMsg: element exceeds the limit; ');
  const texts = elements.map((e) =>
    replaced !== undefined && (e as { element_id?: string }).element_id === replaced.elementId
      ? replaced.content
      : e.tag === 'markdown'
        ? (e.content ?? '')
        : '',
  );
  const tables = texts.reduce((n, text) => n + countTables(text), 0);
  if (tables > CARD_TABLES)
    return err(
      CARD_TOO_LARGE,
      'Failed to create card content, ext=ErrCode: 11310; ErrMsg: card table number over limit; ErrorValue: table; ',
    );
  return undefined;
}

const ok = (data: Body = {}): Answer => ({ body: { code: 0, msg: 'success', data } });
const err = (code: number, msg: string, status = 400): Answer => ({ status, body: { code, msg } });

async function readBody(req: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw === '') return {};
  const value: unknown = JSON.parse(raw);
  return typeof value === 'object' && value !== null ? (value as Body) : {};
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function cardText(card: unknown): string {
  const body = (card as { body?: { elements?: Array<{ tag?: string; content?: string }> } }).body;
  return (body?.elements ?? [])
    .filter((e) => e.tag === 'markdown')
    .map((e) => e.content ?? '')
    .join('\n');
}

/** A local server speaking the parts of Lark's OpenAPI the adapter uses, with the tenant token checked. */
export async function startFakeLark(options: { appId?: string; appSecret?: string } = {}): Promise<FakeLark> {
  const appId = options.appId ?? 'cli_a1b2c3d4e5f60718';
  const appSecret = options.appSecret ?? 'test-app-secret';
  const tenantToken = 't-fake-tenant-token';
  const calls: LarkCall[] = [];
  const messages: FakeLarkMessage[] = [];
  const recalled: FakeLarkMessage[] = [];
  const cards = new Map<string, FakeCard>();
  const downloads: FakeLark['downloads'] = [];
  const resources = new Map<string, { content: Buffer; contentType: string }>();
  const sentByUuid = new Map<string, string>();
  const cardUuids = new Set<string>();
  let failures: Array<Failure & { method: string; remaining: number; lose?: boolean }> = [];
  let wsUrl = '';
  let wsPingIntervalS = 120;
  let seq = 0;

  function sendMessage(fields: Omit<FakeLarkMessage, 'messageId' | 'patches' | 'cardId'>): Answer {
    if (fields.uuid !== undefined && sentByUuid.has(fields.uuid)) {
      return ok({ message_id: sentByUuid.get(fields.uuid) });
    }
    if (Buffer.byteLength(fields.content) > CARD_BYTES)
      return err(CARD_TOO_LARGE, 'card content exceeds the limit');
    let cardId: string | undefined;
    if (fields.msgType === 'interactive') {
      const content = JSON.parse(fields.content) as { type?: string; data?: { card_id?: string } };
      const over = content.type === 'card' ? undefined : cardOverLimits(content);
      if (over !== undefined) return over;
      if (content.type === 'card') {
        const card = cards.get(content.data?.card_id ?? '');
        if (card === undefined) return err(230001, 'card not found');
        if (card.sent) return err(230002, 'a card entity can be sent once');
        card.sent = true;
        cardId = card.cardId;
      }
    }
    const message: FakeLarkMessage = {
      ...fields,
      messageId: `om_bot_${++seq}`,
      patches: [],
      ...(cardId ? { cardId } : {}),
    };
    messages.push(message);
    if (fields.uuid !== undefined) sentByUuid.set(fields.uuid, message.messageId);
    return ok({ message_id: message.messageId, msg_type: message.msgType });
  }

  function cardOp(cardId: string, body: Body, kind: 'content' | 'settings' | 'update'): FakeCard | Answer {
    const card = cards.get(cardId);
    if (card === undefined) return err(300301, 'card not found');
    const uuid = typeof body.uuid === 'string' ? `${cardId}:${body.uuid}` : undefined;
    if (uuid !== undefined && cardUuids.has(uuid)) return ok();
    const sequence = Number(body.sequence);
    if (!Number.isInteger(sequence) || sequence <= card.sequence)
      return err(SEQUENCE_ERROR, 'sequence must rise');
    if (kind === 'content' && !card.streaming) return err(STREAMING_CLOSED, 'card is not in streaming mode');
    if (uuid !== undefined) cardUuids.add(uuid);
    card.sequence = sequence;
    card.ops.push({ kind, at: Date.now(), sequence });
    return card;
  }

  const routes: Route[] = [
    {
      method: 'auth.tenantAccessToken',
      verb: 'POST',
      pattern: /^\/open-apis\/auth\/v3\/tenant_access_token\/internal$/,
      handle: (_m, body) =>
        body.app_id === appId && body.app_secret === appSecret
          ? { body: { code: 0, msg: 'ok', tenant_access_token: tenantToken, expire: 7200 } }
          : err(10014, 'app secret invalid'),
    },
    {
      method: 'bot.info',
      verb: 'GET',
      pattern: /^\/open-apis\/bot\/v3\/info$/,
      handle: () => ({
        body: { code: 0, msg: 'ok', bot: { open_id: 'ou_bot', app_name: 'teambot', activate_status: 2 } },
      }),
    },
    {
      method: 'im.message.reply',
      verb: 'POST',
      pattern: /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/,
      handle: ([, id], body) =>
        sendMessage({
          replyTo: id,
          inThread: body.reply_in_thread === true,
          msgType: String(body.msg_type),
          content: String(body.content),
          ...(typeof body.uuid === 'string' ? { uuid: body.uuid } : {}),
        }),
    },
    {
      method: 'im.message.create',
      verb: 'POST',
      pattern: /^\/open-apis\/im\/v1\/messages$/,
      handle: (_m, body, query) =>
        sendMessage({
          inThread: false,
          receiveIdType: query.get('receive_id_type') ?? '',
          receiveId: String(body.receive_id),
          msgType: String(body.msg_type),
          content: String(body.content),
          ...(typeof body.uuid === 'string' ? { uuid: body.uuid } : {}),
        }),
    },
    {
      method: 'im.message.patch',
      verb: 'PATCH',
      pattern: /^\/open-apis\/im\/v1\/messages\/([^/]+)$/,
      handle: ([, id], body) => {
        const message = messages.find((m) => m.messageId === id);
        if (message === undefined) return err(230001, 'message not found');
        const content = String(body.content);
        if (Buffer.byteLength(content) > CARD_BYTES)
          return err(CARD_TOO_LARGE, 'card content exceeds the limit');
        const card = JSON.parse(content) as { config?: { update_multi?: boolean } };
        if (card.config?.update_multi !== true) return err(230031, 'the card is not update_multi');
        const over = cardOverLimits(card);
        if (over !== undefined) return over;
        message.content = content;
        message.patches.push(Date.now());
        return ok();
      },
    },
    {
      method: 'im.message.delete',
      verb: 'DELETE',
      pattern: /^\/open-apis\/im\/v1\/messages\/([^/]+)$/,
      handle: ([, id]) => {
        const at = messages.findIndex((m) => m.messageId === id);
        if (at === -1) return err(230011, 'the message was recalled or does not exist');
        recalled.push(...messages.splice(at, 1));
        return ok();
      },
    },
    {
      method: 'cardkit.card.create',
      verb: 'POST',
      pattern: /^\/open-apis\/cardkit\/v1\/cards$/,
      handle: (_m, body) => {
        const data = String(body.data);
        if (body.type !== 'card_json') return err(300300, 'type must be card_json');
        if (Buffer.byteLength(data) > CARD_BYTES) return err(CARD_TOO_LARGE, 'card exceeds the limit');
        const card = JSON.parse(data) as Body & { config?: { streaming_mode?: boolean } };
        const over = cardOverLimits(card);
        if (over !== undefined) return over;
        const cardId = `card_${++seq}`;
        const elements = new Map<string, string>();
        for (const e of (
          card as { body?: { elements?: Array<{ tag?: string; element_id?: string; content?: string }> } }
        ).body?.elements ?? []) {
          if (e.element_id !== undefined && e.tag === 'markdown') elements.set(e.element_id, e.content ?? '');
        }
        cards.set(cardId, {
          cardId,
          card,
          streaming: card.config?.streaming_mode === true,
          elements,
          sequence: 0,
          ops: [{ kind: 'create', at: Date.now(), sequence: 0 }],
          sent: false,
        });
        return ok({ card_id: cardId });
      },
    },
    {
      method: 'cardkit.cardElement.content',
      verb: 'PUT',
      pattern: /^\/open-apis\/cardkit\/v1\/cards\/([^/]+)\/elements\/([^/]+)\/content$/,
      handle: ([, cardId = '', elementId = ''], body) => {
        const card = cards.get(cardId);
        if (card !== undefined && !card.elements.has(elementId)) return err(300302, 'element not found');
        const content = String(body.content);
        if (Buffer.byteLength(content) > CARD_BYTES) return err(CARD_TOO_LARGE, 'element exceeds the limit');
        const over = card === undefined ? undefined : cardOverLimits(card.card, { elementId, content });
        if (over !== undefined) return over;
        const applied = cardOp(cardId, body, 'content');
        if (!('cardId' in applied)) return applied;
        applied.elements.set(elementId, content);
        return ok();
      },
    },
    {
      method: 'cardkit.card.settings',
      verb: 'PATCH',
      pattern: /^\/open-apis\/cardkit\/v1\/cards\/([^/]+)\/settings$/,
      handle: ([, cardId = ''], body) => {
        const applied = cardOp(cardId, body, 'settings');
        if (!('cardId' in applied)) return applied;
        const settings = JSON.parse(String(body.settings)) as { config?: { streaming_mode?: boolean } };
        if (settings.config?.streaming_mode !== undefined) applied.streaming = settings.config.streaming_mode;
        return ok();
      },
    },
    {
      method: 'cardkit.card.update',
      verb: 'PUT',
      pattern: /^\/open-apis\/cardkit\/v1\/cards\/([^/]+)$/,
      handle: ([, cardId = ''], body) => {
        const wrapped = (body.card ?? {}) as { type?: string; data?: string };
        if (wrapped.type !== 'card_json') return err(300300, 'type must be card_json');
        const data = String(wrapped.data);
        if (Buffer.byteLength(data) > CARD_BYTES) return err(CARD_TOO_LARGE, 'card exceeds the limit');
        const card = JSON.parse(data) as Body & { config?: { streaming_mode?: boolean } };
        const over = cardOverLimits(card);
        if (over !== undefined) return over;
        const applied = cardOp(cardId, body, 'update');
        if (!('cardId' in applied)) return applied;
        applied.card = card;
        applied.streaming = card.config?.streaming_mode === true;
        applied.elements.clear();
        for (const e of cardElements((card as { body?: { elements?: unknown[] } }).body?.elements)) {
          const id = (e as { element_id?: string }).element_id;
          if (id !== undefined && e.tag === 'markdown') applied.elements.set(id, e.content ?? '');
        }
        return ok();
      },
    },
    {
      method: 'ws.endpoint',
      verb: 'POST',
      pattern: /^\/callback\/ws\/endpoint$/,
      handle: (_m, body) =>
        body.AppID !== appId || body.AppSecret !== appSecret
          ? { body: { code: 514, msg: 'app secret invalid', data: {} } }
          : wsUrl === ''
            ? { body: { code: 403, msg: 'no WebSocket URL set', data: {} } }
            : {
                body: {
                  code: 0,
                  msg: 'ok',
                  data: {
                    URL: wsUrl,
                    ClientConfig: {
                      PingInterval: wsPingIntervalS,
                      ReconnectCount: 3,
                      ReconnectInterval: 1,
                      ReconnectNonce: 0,
                    },
                  },
                },
              },
    },
  ];

  function takeFailure(method: string) {
    const failure = failures.find((f) => f.method === method && f.remaining > 0);
    if (failure !== undefined) failure.remaining -= 1;
    return failure;
  }

  function download(
    req: IncomingMessage,
    res: ServerResponse,
    match: string[],
    query: URLSearchParams,
  ): void {
    const [, messageId = '', fileKey = ''] = match;
    const authorization = req.headers.authorization;
    downloads.push({ messageId, fileKey, type: query.get('type'), authorization });
    const resource = resources.get(`${messageId}/${fileKey}`);
    if (authorization !== `Bearer ${tenantToken}`) {
      send(res, 400, { code: 99991663, msg: 'Invalid access token' });
    } else if (resource === undefined) {
      send(res, 400, { code: 234003, msg: 'file not found' });
    } else {
      res.writeHead(200, {
        'content-type': resource.contentType,
        'content-length': String(resource.content.length),
      });
      res.end(resource.content);
    }
  }

  async function api(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const resource = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && resource !== null) return download(req, res, [...resource], url.searchParams);
    const body = await readBody(req);
    const route = routes.find((r) => r.verb === req.method && r.pattern.test(url.pathname));
    if (route === undefined)
      return send(res, 404, { code: 404, msg: `no route ${req.method} ${url.pathname}` });
    const authorization = req.headers.authorization;
    const call: LarkCall = {
      method: route.method,
      path: url.pathname,
      query: url.searchParams,
      body,
      at: Date.now(),
      authorization,
      status: 200,
      code: 0,
    };
    calls.push(call);
    const open = route.method === 'auth.tenantAccessToken' || route.method === 'ws.endpoint';
    let answer: Answer;
    const failure = takeFailure(route.method);
    if (!open && authorization !== `Bearer ${tenantToken}`) answer = err(99991663, 'Invalid access token');
    else if (failure !== undefined && failure.lose !== true) {
      answer = err(
        failure.code ?? MISSING_SCOPE,
        failure.msg ?? 'Access denied. One of the following scopes is required: [cardkit:card:write]',
        failure.status ?? 400,
      );
    } else answer = route.handle([...(route.pattern.exec(url.pathname) ?? [])], body, url.searchParams);
    if (failure?.lose === true) {
      call.status = 502;
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>502 Bad Gateway</html>');
      return;
    }
    call.status = answer.status ?? 200;
    call.code = Number(answer.body.code ?? 0);
    send(res, call.status, answer.body);
  }

  const server = createServer((req, res) => {
    api(req, res).catch((error: unknown) => send(res, 500, { code: 500, msg: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    appId,
    appSecret,
    tenantToken,
    botOpenId: 'ou_bot',
    botName: 'teambot',
    calls,
    messages,
    recalled,
    cards,
    downloads,
    callsTo: (method) => calls.filter((c) => c.method === method),
    textOf(message) {
      if (message.cardId !== undefined)
        return [...(cards.get(message.cardId)?.elements.values() ?? [])].join('\n');
      const content = JSON.parse(message.content) as Body;
      return message.msgType === 'text' ? String(content.text ?? '') : cardText(content);
    },
    fail: (method, failure = {}) =>
      failures.push({ ...failure, method, remaining: failure.times ?? Number.POSITIVE_INFINITY }),
    loseResponse: (method, times = 1) => failures.push({ method, remaining: times, lose: true }),
    clearFailures: () => {
      failures = [];
    },
    addResource: (messageId, fileKey, content, contentType) =>
      resources.set(`${messageId}/${fileKey}`, { content: Buffer.from(content), contentType }),
    setWsUrl: (next, pingIntervalS = 120) => {
      wsUrl = next;
      wsPingIntervalS = pingIntervalS;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
