/** Where and how to reach an OpenAI-compatible server. */
export interface Endpoint {
  /** The base URL without credentials or trailing slashes, e.g. `http://host:8000/v1`; safe to print. */
  baseUrl: string;
  /** The Authorization header value, if any (never printed). */
  authorization: string | undefined;
  /** Strings that must never appear in messages: the API key, a password from the URL. */
  secrets: string[];
  fetch: typeof fetch;
}

/**
 * `baseUrl` may carry `user:password@` (fetch refuses such URLs): it is moved into a Basic
 * Authorization header, unless an API key is given, which is sent as `Bearer <key>`.
 */
export function createEndpoint(
  baseUrl: string,
  apiKey: string | undefined,
  fetchImpl: typeof fetch,
): Endpoint {
  const secrets: string[] = [];
  let authorization: string | undefined;
  if (apiKey !== undefined && apiKey !== '') {
    authorization = `Bearer ${apiKey}`;
    secrets.push(apiKey);
  }
  let clean = baseUrl.trim();
  try {
    const url = new URL(clean);
    if (url.username !== '' || url.password !== '') {
      const user = decodeURIComponent(url.username);
      const password = decodeURIComponent(url.password);
      authorization ??= `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      if (password !== '') secrets.push(password, url.password);
      url.username = '';
      url.password = '';
      clean = url.toString();
    }
  } catch {
    // Not a URL: fetch will fail and the error says so.
  }
  return { baseUrl: clean.replace(/\/+$/, ''), authorization, secrets, fetch: fetchImpl };
}

export function endpointUrl(endpoint: Endpoint, path: string): string {
  return `${endpoint.baseUrl}/${path}`;
}

export function requestHeaders(endpoint: Endpoint, accept: string): Record<string, string> {
  const headers: Record<string, string> = { accept };
  if (endpoint.authorization !== undefined) headers.authorization = endpoint.authorization;
  return headers;
}

/** Removes secrets from text that came from upstream or from errors (some servers echo the key back). */
export function redactSecrets(endpoint: Endpoint, text: string): string {
  let out = text;
  for (const secret of endpoint.secrets) {
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}
