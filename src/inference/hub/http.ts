import type { HubContext } from './context.js';
import { HubError } from './errors.js';

/** fetch with the hub's token attached and a clear error when the endpoint cannot be reached. */
export type HubFetch = (url: string, init?: RequestInit) => Promise<Response>;

export interface HubFetchOptions {
  context: HubContext;
  token?: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/** The error when the endpoint does not answer at all (DNS, refused connection, TLS, ...). */
export function unreachable(context: HubContext, error: unknown): HubError {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new HubError(
    'unreachable',
    `Cannot reach ${context.endpoint} (${reason}). Check the network, or set HF_ENDPOINT to a reachable ` +
      `hub mirror; to run offline, copy the model files into ${context.dir} and point MODEL at that directory.`,
    { cause: error },
  );
}

/**
 * Requests to the hub: adds `Authorization: Bearer <token>` when there is a token (fetch drops it
 * on a redirect to another origin, such as the hub's CDN), asks for uncompressed bodies (sizes and
 * byte ranges then mean what they say), and passes the signal. Answers are returned whatever their
 * status; only a network failure throws, as a HubError naming the endpoint (an abort rethrows as is).
 */
export function createHubFetch(options: HubFetchOptions): HubFetch {
  const doFetch = options.fetch ?? fetch;
  return async (url, init = {}) => {
    const headers = new Headers(init.headers);
    if (options.token !== undefined) headers.set('authorization', `Bearer ${options.token}`);
    headers.set('accept-encoding', 'identity');
    try {
      return await doFetch(url, { ...init, headers, signal: init.signal ?? options.signal });
    } catch (error) {
      if (options.signal?.aborted || init.signal?.aborted) throw error;
      throw unreachable(options.context, error);
    }
  };
}
