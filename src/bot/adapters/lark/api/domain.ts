export const FEISHU_BASE_URL = 'https://open.feishu.cn';
export const LARK_BASE_URL = 'https://open.larksuite.com';

/**
 * The OpenAPI base URL for LARK_DOMAIN: `feishu` (the default) → open.feishu.cn, `lark` →
 * open.larksuite.com, anything else is taken as the base URL itself (a proxy, or a fake in tests).
 */
export function larkBaseUrl(domain: string | undefined): string {
  if (domain === undefined || domain === 'feishu') return FEISHU_BASE_URL;
  if (domain === 'lark') return LARK_BASE_URL;
  let url: URL;
  try {
    url = new URL(domain);
  } catch {
    throw new Error(`LARK_DOMAIN must be feishu, lark or a base URL, not ${JSON.stringify(domain)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`LARK_DOMAIN must be an http(s) URL, not ${url.protocol}`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
