/** What bench/threads.ts and its side processes exchange (over bench/protocol.ts's lines). */
import type { CommonJob } from '../protocol.js';

/** One side's answer to a `turn` request. */
export interface TurnSample {
  /** From the call to the first new token chosen (template and tokenization excluded). */
  ttftMs: number;
  promptTokens: number;
  outputIds: number[];
  text: string;
  /** teambot only: prompt tokens taken from the prefix cache, and prefilled, in this turn. */
  reusedTokens?: number;
  prefilledTokens?: number;
}

export interface ThreadsTeambotJob extends CommonJob {
  prefixCacheBytes: number;
  contextLength: number;
}
