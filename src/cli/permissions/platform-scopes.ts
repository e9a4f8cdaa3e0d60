import { larkBaseUrl } from '../../bot/adapters/lark/api/domain.js';

/** What one platform app has been granted, as its API reports it. */
export interface GrantedScopes {
  /** Slack: the bot token's scopes. Lark: tenant scopes. */
  bot: Set<string>;
  /** Lark: user scopes (empty for Slack). */
  user: Set<string>;
}

const DEFAULT_SLACK_API = 'https://slack.com/api/';
const TIMEOUT_MS = 10_000;

/** Slack: auth.test answers with the token's scopes in the `x-oauth-scopes` header. */
export async function slackScopes(token: string, apiUrl: string | undefined): Promise<GrantedScopes> {
  const base = (apiUrl ?? DEFAULT_SLACK_API).replace(/\/?$/, '/');
  const response = await fetch(`${base}auth.test`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const body = (await response.json().catch(() => ({}))) as { ok?: boolean; error?: string };
  if (!response.ok || body.ok !== true) {
    throw new Error(`Slack auth.test failed: ${body.error ?? `HTTP ${response.status}`}`);
  }
  const header = response.headers.get('x-oauth-scopes');
  if (header === null) throw new Error('Slack auth.test answered without an x-oauth-scopes header');
  return { bot: splitScopes(header), user: new Set() };
}

function splitScopes(header: string): Set<string> {
  return new Set(
    header
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );
}

interface LarkScope {
  scope_name?: string;
  grant_status?: number;
  scope_type?: string;
}

/**
 * Lark/Feishu: a tenant access token (auth/v3/tenant_access_token/internal), then
 * GET /open-apis/application/v6/scopes, which lists the app's scopes with `grant_status` 1 when granted.
 */
export async function larkScopes(
  appId: string,
  appSecret: string,
  domain: string | undefined,
): Promise<GrantedScopes> {
  const base = larkBaseUrl(domain);
  const tokenResponse = await fetch(`${base}/open-apis/auth/v3/tenant_access_token/internal`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ app_id: appId, app_secret: appSecret }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const token = (await tokenResponse.json().catch(() => ({}))) as {
    code?: number;
    msg?: string;
    tenant_access_token?: string;
  };
  if (token.code !== 0 || token.tenant_access_token === undefined) {
    throw new Error(
      `Lark tenant token failed: ${token.msg ?? `HTTP ${tokenResponse.status}`} (code ${token.code})`,
    );
  }
  const response = await fetch(`${base}/open-apis/application/v6/scopes`, {
    headers: { authorization: `Bearer ${token.tenant_access_token}` },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const body = (await response.json().catch(() => ({}))) as {
    code?: number;
    msg?: string;
    data?: { scopes?: LarkScope[] };
  };
  if (body.code !== 0) {
    throw new Error(`Lark scope list failed: ${body.msg ?? `HTTP ${response.status}`} (code ${body.code})`);
  }
  const granted: GrantedScopes = { bot: new Set(), user: new Set() };
  for (const scope of body.data?.scopes ?? []) {
    if (scope.grant_status !== 1 || scope.scope_name === undefined) continue;
    (scope.scope_type === 'user' ? granted.user : granted.bot).add(scope.scope_name);
  }
  return granted;
}
