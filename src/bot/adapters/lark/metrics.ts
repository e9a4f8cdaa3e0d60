import { Counter, type Registry } from 'prom-client';

/** Why a request to /lark/events or /lark/cards was refused before any handler saw it. */
export type RejectReason =
  | 'missing_signature'
  | 'bad_signature'
  | 'bad_token'
  | 'not_encrypted'
  | 'decrypt_failed'
  | 'bad_body'
  | 'too_large';

export interface LarkMetrics {
  rejected(reason: RejectReason): void;
}

const REJECTED = 'teambot_lark_rejected_requests_total';

export function larkMetrics(registry: Registry): LarkMetrics {
  const counter =
    (registry.getSingleMetric(REJECTED) as Counter<'reason'> | undefined) ??
    new Counter({
      name: REJECTED,
      help: 'Lark webhook requests refused before handling (bad signature or token, undecryptable body), by reason.',
      labelNames: ['reason'] as const,
      registers: [registry],
    });
  return { rejected: (reason) => counter.inc({ reason }) };
}
