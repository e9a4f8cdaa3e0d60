import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { HttpInstance, HttpRequestOptions } from '@larksuiteoapi/node-sdk';
import { LarkHttpError } from './errors.js';

/** Give up on an OpenAPI call whose answer has not arrived by then. */
export const LARK_REQUEST_TIMEOUT_MS = 30_000;

type Options = HttpRequestOptions<unknown> & { $return_headers?: boolean };

function queryOf(options: Options): string {
  const { params, paramsSerializer } = options;
  if (params === undefined || Object.keys(params).length === 0) return '';
  if (typeof paramsSerializer === 'function') return paramsSerializer(params);
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null) search.append(key, String(value));
  }
  return search.toString();
}

function requestBody(method: string, data: unknown, headers: Headers): RequestInit['body'] {
  if (data === undefined || data === null || method === 'GET' || method === 'HEAD') return undefined;
  if (typeof data === 'string' || data instanceof FormData || data instanceof URLSearchParams) return data;
  if (!headers.has('content-type')) headers.set('content-type', 'application/json; charset=utf-8');
  return JSON.stringify(data);
}

async function parsed(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The SDK's HttpInstance (what its Client, token manager and WSClient call) over `fetch` instead of
 * its default axios instance: answers are the parsed body, a non-2xx answer throws a LarkHttpError
 * carrying Lark's `{code, msg}`, every request has a timeout, and `responseType: 'stream'` (message
 * resources) gives a Node stream whose body is not bounded by that timeout, only its headers.
 * Nothing is retried here: callLark decides what may be tried again.
 */
export function fetchHttpInstance(fetchFn: typeof fetch, timeoutMs = LARK_REQUEST_TIMEOUT_MS): HttpInstance {
  async function request(options: Options): Promise<unknown> {
    if (options.url === undefined) throw new Error('Lark request without a URL');
    const url = new URL(options.url);
    const query = queryOf(options);
    if (query !== '') url.search = url.search === '' ? query : `${url.search}&${query}`;
    const method = (options.method ?? 'GET').toUpperCase();
    const headers = new Headers();
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (value !== undefined && value !== null) headers.set(name, String(value));
    }
    const body = requestBody(method, options.data, headers);
    const abort = new AbortController();
    const timer = setTimeout(
      () => abort.abort(new Error(`Lark ${method} ${url.pathname} timed out`)),
      options.timeout ?? timeoutMs,
    );
    try {
      const response = await fetchFn(url, { method, headers, body, signal: abort.signal });
      if (!response.ok)
        throw new LarkHttpError(response.status, method, url.pathname, await parsed(response));
      let data: unknown;
      if (options.responseType === 'stream') {
        clearTimeout(timer);
        if (response.body === null) throw new Error(`Lark sent no body for ${url.pathname}`);
        data = Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>);
      } else if (options.responseType === 'arraybuffer') {
        data = Buffer.from(await response.arrayBuffer());
      } else {
        data = await parsed(response);
      }
      return options.$return_headers ? { data, headers: Object.fromEntries(response.headers) } : data;
    } finally {
      clearTimeout(timer);
    }
  }

  const withMethod = (method: string) => (url: string, options?: Options) =>
    request({ ...options, url, method });
  const withData = (method: string) => (url: string, data?: unknown, options?: Options) =>
    request({ ...options, url, method, data });
  return {
    request: request as HttpInstance['request'],
    get: withMethod('GET') as HttpInstance['get'],
    delete: withMethod('DELETE') as HttpInstance['delete'],
    head: withMethod('HEAD') as HttpInstance['head'],
    options: withMethod('OPTIONS') as HttpInstance['options'],
    post: withData('POST') as HttpInstance['post'],
    put: withData('PUT') as HttpInstance['put'],
    patch: withData('PATCH') as HttpInstance['patch'],
  };
}
