/** What the pipeline reports; the server backs it with prom-client counters. */
export interface PipelineMetrics {
  /** Counts one message passing `stage` with `outcome` (e.g. dedup/duplicate, route/command). */
  stage(stage: string, outcome: string): void;
}

export const noMetrics: PipelineMetrics = { stage: () => {} };
