import { Counter, Gauge, type Registry } from 'prom-client';

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
  /** The long connection (LARK_MODE=ws) opened (true) or dropped (false). */
  connection(up: boolean): void;
}

const REJECTED = 'teambot_lark_rejected_requests_total';
const CONNECTION = 'teambot_lark_connection_up';

export function larkMetrics(registry: Registry): LarkMetrics {
  const counter =
    (registry.getSingleMetric(REJECTED) as Counter<'reason'> | undefined) ??
    new Counter({
      name: REJECTED,
      help: 'Lark webhook requests refused before handling (bad signature or token, undecryptable body), by reason.',
      labelNames: ['reason'] as const,
      registers: [registry],
    });
  // Made on the first report only, so webhook mode (no long connection) exports no false 0.
  const connection = () =>
    (registry.getSingleMetric(CONNECTION) as Gauge | undefined) ??
    new Gauge({
      name: CONNECTION,
      help: 'Whether the Lark long connection (LARK_MODE=ws) is open: 1 open, 0 dropped or reconnecting.',
      registers: [registry],
    });
  return {
    rejected: (reason) => counter.inc({ reason }),
    connection: (up) => connection().set(up ? 1 : 0),
  };
}
