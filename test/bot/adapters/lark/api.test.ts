import { describe, expect, it } from 'vitest';
import { larkBaseUrl } from '../../../../src/bot/adapters/lark/api/domain.js';
import {
  callLark,
  isMissingScope,
  LarkApiError,
  LarkHttpError,
} from '../../../../src/bot/adapters/lark/api/errors.js';
import { fetchHttpInstance } from '../../../../src/bot/adapters/lark/api/http-instance.js';
import { createLarkAdapter } from '../../../../src/bot/adapters/lark/index.js';
import { createMetrics } from '../../../../src/metrics/registry.js';
import { MemoryKeyValueStore } from '../../../../src/storage/kv/memory.js';
import { captureLogger } from '../../../helpers/capture-logger.js';

const fast = { retries: 2, delayMs: 1 };

/** A fetch that answers from `answer` and records every request. */
function recordingFetch(answer: (url: URL, init: RequestInit) => Response) {
  const seen: Array<{ url: URL; init: RequestInit }> = [];
  const fetchFn = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(String(input));
    seen.push({ url, init });
    return answer(url, init);
  }) as typeof fetch;
  return { seen, fetchFn };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('Lark API plumbing', () => {
  it('maps LARK_DOMAIN to a base URL', () => {
    expect(larkBaseUrl(undefined)).toBe('https://open.feishu.cn');
    expect(larkBaseUrl('feishu')).toBe('https://open.feishu.cn');
    expect(larkBaseUrl('lark')).toBe('https://open.larksuite.com');
    expect(larkBaseUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    expect(() => larkBaseUrl('ftp://x')).toThrow(/http/);
    expect(() => larkBaseUrl('open.feishu.cn')).toThrow(/feishu, lark or a base URL/);
  });

  it('sends SDK requests through fetch: query, JSON body, parsed answer, errors with Lark’s code', async () => {
    const { seen, fetchFn } = recordingFetch((url) =>
      url.pathname === '/bad'
        ? json({ code: 99991672, msg: 'Access denied' }, 400)
        : json({ code: 0, data: { ok: 1 } }),
    );
    const http = fetchHttpInstance(fetchFn);
    const answer = await http.request({
      url: 'https://open.example/x',
      method: 'POST',
      params: { receive_id_type: 'chat_id' },
      data: { text: '你好' },
      headers: { Authorization: 'Bearer t' },
    });
    expect(answer).toEqual({ code: 0, data: { ok: 1 } });
    expect(seen[0]?.url.search).toBe('?receive_id_type=chat_id');
    expect(seen[0]?.init.body).toBe('{"text":"你好"}');
    expect(new Headers(seen[0]?.init.headers).get('content-type')).toMatch(/application\/json/);
    const failure = await http.get('https://open.example/bad').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LarkHttpError);
    expect(failure).toMatchObject({ status: 400, code: 99991672 });
  });

  it('times a request out', async () => {
    const hanging = (async (_input: unknown, init: RequestInit = {}) =>
      new Promise<Response>((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as typeof fetch;
    const http = fetchHttpInstance(hanging, 50);
    await expect(http.get('https://open.example/slow')).rejects.toThrow(/timed out/);
  });

  it('retries rate limits, 5xx answers and network failures, but not business errors', async () => {
    let calls = 0;
    const flaky = () => {
      calls += 1;
      if (calls === 1) return Promise.reject(new TypeError('fetch failed'));
      if (calls === 2) return Promise.reject(new LarkHttpError(503, 'POST', '/x', {}));
      return Promise.resolve({ code: 0, data: { message_id: 'om_1' } });
    };
    await expect(callLark('im.v1.message.reply', flaky, fast)).resolves.toMatchObject({
      data: { message_id: 'om_1' },
    });
    expect(calls).toBe(3);

    let business = 0;
    const refused = callLark(
      'cardkit.v1.card.create',
      async () => {
        business += 1;
        throw new LarkHttpError(400, 'POST', '/cards', { code: 99991672, msg: 'Access denied' });
      },
      fast,
    );
    const error = await refused.catch((e: unknown) => e);
    expect(business).toBe(1);
    expect(error).toBeInstanceOf(LarkApiError);
    expect(isMissingScope(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(/cardkit\.v1\.card\.create .*99991672.*scope/);

    let limited = 0;
    await callLark(
      'x',
      async () => {
        limited += 1;
        return limited === 1 ? { code: 99991400, msg: 'rate limited' } : { code: 0 };
      },
      fast,
    );
    expect(limited).toBe(2);
    await expect(callLark('x', async () => ({ code: 230002, msg: 'bot not in chat' }), fast)).rejects.toThrow(
      /230002.*not in this chat/,
    );
  });

  it('uses the injected fetch and open.feishu.cn by default', async () => {
    const { seen, fetchFn } = recordingFetch((url) =>
      url.pathname.endsWith('tenant_access_token/internal')
        ? json({ code: 0, tenant_access_token: 't-1', expire: 7200 })
        : json({ code: 0, bot: { open_id: 'ou_bot', app_name: 'teambot' } }),
    );
    const kv = new MemoryKeyValueStore();
    const log = captureLogger();
    const adapter = createLarkAdapter({
      appId: 'cli_a1b2c3d4e5f60718',
      appSecret: 'secret',
      verificationToken: 'token',
      mode: 'webhook',
      pipeline: { handle: async () => {}, inFlight: 0, drain: async () => ({ finished: 0, aborted: 0 }) },
      kv,
      logger: log.logger,
      metrics: createMetrics({ defaultMetrics: false }),
      fetch: fetchFn,
    });
    await adapter.start();
    await adapter.stop();
    await kv.close();
    expect(seen.map((s) => s.url.href)).toEqual([
      'https://open.feishu.cn/open-apis/auth/v3/tenant_access_token/internal',
      'https://open.feishu.cn/open-apis/bot/v3/info',
    ]);
    expect(new Headers(seen[1]?.init.headers).get('authorization')).toBe('Bearer t-1');
    expect(adapter.routers.map((r) => r.path)).toEqual(['/lark/events', '/lark/cards']);
    expect(log.lines.find((l) => l.msg === 'Lark adapter started')).toMatchObject({ botOpenId: 'ou_bot' });
  });
});
