/** Header names whose values are credentials or signatures. */
export const SECRET_HEADERS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-slack-signature',
  'x-lark-signature',
  'x-api-key',
] as const;

/** Field names whose values are secrets, wherever they appear in a logged object. */
export const SECRET_KEYS = [
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'botToken',
  'appToken',
  'apiKey',
  'api_key',
  'secret',
  'signingSecret',
  'encryptKey',
  'encrypt_key',
  'password',
  'clientSecret',
  'client_secret',
  'app_secret',
  'appSecret',
  'tenant_access_token',
] as const;

/** Environment-style setting names that hold secrets (SLACK_BOT_TOKEN, LARK_ENCRYPT_KEY, API_KEYS …). */
export const SECRET_SETTING_NAME = /^[A-Z][A-Z0-9_]*_(TOKEN|SECRET|KEY|KEYS|PASSWORD)$/;

/**
 * Fixed paths for pino's `redact`: the secret names at the top level (which
 * also covers child-logger bindings) and request headers on objects that are
 * not plain (an IncomingMessage). Wildcard paths are avoided on purpose: pino
 * pays for each one on every line (about 0.5 µs a path; the full set of
 * `*.key` and `*.*.key` paths made a line 40 times slower), so nested keys are
 * handled by `createKeyRedactor` instead.
 */
export function redactPaths(extraKeys: readonly string[] = []): string[] {
  return [
    ...[...SECRET_HEADERS, ...SECRET_KEYS, ...extraKeys].map((key) =>
      /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`,
    ),
    'req.headers.authorization',
    'req.headers.cookie',
    'headers.authorization',
    'headers.Authorization',
    'headers.cookie',
    'res.headers["set-cookie"]',
  ];
}

/** How many levels below the top a secret-named key is still found. */
export const REDACT_DEPTH = 4;

/**
 * Returns a function that replaces the value of every secret-named key
 * (case-insensitive, in plain objects and arrays, down to REDACT_DEPTH levels)
 * with `censor`. Only the branches that change are copied; the caller's
 * object is never modified.
 */
export function createKeyRedactor(
  censor: string,
  extraKeys: readonly string[] = [],
): (obj: Record<string, unknown>) => Record<string, unknown> {
  const names = new Set<string>(
    [...SECRET_HEADERS, ...SECRET_KEYS, ...extraKeys].map((k) => k.toLowerCase()),
  );
  const secret = (key: string) => names.has(key.toLowerCase()) || SECRET_SETTING_NAME.test(key);

  const walk = (value: unknown, depth: number): unknown => {
    if (depth > REDACT_DEPTH || typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const next = walk(value[i], depth + 1);
        if (next !== value[i]) {
          copy ??= [...value];
          copy[i] = next;
        }
      }
      return copy ?? value;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const record = value as Record<string, unknown>;
    let copy: Record<string, unknown> | undefined;
    for (const key of Object.keys(record)) {
      const item = record[key];
      const next = secret(key) ? censor : walk(item, depth + 1);
      if (next !== item) {
        copy ??= { ...record };
        copy[key] = next;
      }
    }
    return copy ?? record;
  };

  return (obj) => walk(obj, 0) as Record<string, unknown>;
}
