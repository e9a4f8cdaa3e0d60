import type { IncomingHttpHeaders } from 'node:http';
import { verifySlackRequest } from '@slack/bolt';
import type { RejectReason } from '../metrics.js';

/** Slack's requests must be signed within five minutes of now (either way). */
export const MAX_CLOCK_SKEW_S = 5 * 60;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Why a request fails Slack's v0 signature check, or undefined when it passes. The HMAC is
 * Bolt's `verifySlackRequest`; the checks before it only name the reason for the metric.
 */
export function rejectionReason(
  signingSecret: string,
  headers: IncomingHttpHeaders,
  rawBody: string,
  nowMs: number,
): RejectReason | undefined {
  const signature = header(headers, 'x-slack-signature');
  const timestamp = header(headers, 'x-slack-request-timestamp');
  if (signature === undefined || timestamp === undefined) return 'missing_headers';
  if (!/^\d{1,12}$/.test(timestamp)) return 'bad_timestamp';
  const seconds = Number(timestamp);
  if (Math.abs(nowMs / 1000 - seconds) > MAX_CLOCK_SKEW_S) return 'stale_timestamp';
  try {
    verifySlackRequest({
      signingSecret,
      body: rawBody,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': seconds },
      nowMilliseconds: nowMs,
    });
    return undefined;
  } catch {
    return 'bad_signature';
  }
}
