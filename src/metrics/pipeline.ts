/** What the chat pipeline reports; `createMetrics` backs it with prom-client counters. */
export interface PipelineMetrics {
  /** Counts one message passing `stage` with `outcome` (e.g. dedup/duplicate, route/command). */
  stage(stage: string, outcome: string): void;
  /** Messages being handled right now (the `teambot_inflight_replies` gauge). */
  inFlight(count: number): void;
  /** Counts one message handed to the pipeline by `platform` (`teambot_messages_received_total`). */
  received?(platform: string): void;
}
