import { Counter, type Registry } from 'prom-client';

/** Why a request to /slack/events was refused before any handler saw it. */
export type RejectReason =
  | 'missing_headers'
  | 'bad_timestamp'
  | 'stale_timestamp'
  | 'bad_signature'
  | 'too_large'
  | 'malformed_body'
  | 'unroutable';

export interface SlackMetrics {
  rejected(reason: RejectReason): void;
}

const REJECTED = 'teambot_slack_rejected_requests_total';

export function slackMetrics(registry: Registry): SlackMetrics {
  const counter =
    (registry.getSingleMetric(REJECTED) as Counter<'reason'> | undefined) ??
    new Counter({
      name: REJECTED,
      help: 'Slack requests refused before handling (bad or missing signature, stale timestamp, too large, malformed or unroutable body), by reason.',
      labelNames: ['reason'] as const,
      registers: [registry],
    });
  return { rejected: (reason) => counter.inc({ reason }) };
}
