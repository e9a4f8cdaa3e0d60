export type { PipelineMetrics } from '../../metrics/pipeline.js';
