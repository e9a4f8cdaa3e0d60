/** How the benchmarks' transformers.js sides load the generated model: local files only, CPU, the job's threads. */
import { basename, dirname } from 'node:path';
import { env, type PreTrainedModel } from '@huggingface/transformers';

/** Points transformers.js at the model's folder (no hub); returns the name to load it by. */
export function useLocalModel(modelDir: string): string {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${dirname(modelDir)}/`;
  return basename(modelDir);
}

export function peerModelOptions(job: { dtype: 'fp32' | 'q4'; threads: number }) {
  return {
    dtype: job.dtype,
    device: 'cpu' as const,
    session_options: job.threads > 0 ? { intraOpNumThreads: job.threads } : {},
  };
}

/** The ids that end an answer (generation_config's eos_token_id). */
export function peerEosIds(model: PreTrainedModel): Set<number> {
  const setting = (model.generation_config as { eos_token_id?: number | number[] } | null)?.eos_token_id;
  return new Set<number>(setting === undefined ? [] : [setting].flat());
}
