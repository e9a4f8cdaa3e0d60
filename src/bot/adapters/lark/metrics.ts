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
  /** A dead long-connection client was replaced by a new one. */
  replaced(reason: 'gave_up' | 'down_too_long'): void;
  /** An event older than the stale window was dropped (a replay after a reconnect, a late retry). */
  stale(type: string): void;
}

const REJECTED = 'teambot_lark_rejected_requests_total';
const CONNECTION = 'teambot_lark_connection_up';
const REPLACED = 'teambot_lark_connection_replaced_total';
const STALE = 'teambot_lark_stale_events_total';

function counter<L extends string>(registry: Registry, name: string, help: string, labels: L[]): Counter<L> {
  return (
    (registry.getSingleMetric(name) as Counter<L> | undefined) ??
    new Counter({ name, help, labelNames: labels, registers: [registry] })
  );
}

export function larkMetrics(registry: Registry): LarkMetrics {
  const rejected = counter(
    registry,
    REJECTED,
    'Lark webhook requests refused before handling (bad signature or token, undecryptable body), by reason.',
    ['reason'],
  );
  const replaced = counter(
    registry,
    REPLACED,
    'Lark long-connection clients replaced after their connection died (gave_up, down_too_long).',
    ['reason'],
  );
  const stale = counter(
    registry,
    STALE,
    'Lark events dropped for being older than the stale window (replays after a reconnect), by event type.',
    ['type'],
  );
  // Made on the first report only, so webhook mode (no long connection) exports no false 0.
  const connection = () =>
    (registry.getSingleMetric(CONNECTION) as Gauge | undefined) ??
    new Gauge({
      name: CONNECTION,
      help: 'Whether the Lark long connection (LARK_MODE=ws) is open: 1 open, 0 dropped or reconnecting.',
      registers: [registry],
    });
  return {
    rejected: (reason) => rejected.inc({ reason }),
    connection: (up) => connection().set(up ? 1 : 0),
    replaced: (reason) => replaced.inc({ reason }),
    stale: (type) => stale.inc({ type }),
  };
}
