/** How the batching scheduler admits work (BATCH_* settings). */
export interface BatchSettings {
  /** Rows decoded together in one forward pass; 1 runs one generation at a time. */
  maxBatchSize: number;
  /** Requests allowed to wait for a free row; one more is refused at once as busy. */
  maxWaiting: number;
  /** Sum over running rows of prompt + answer budget; a newcomer that would pass it waits. */
  maxTokensInFlight: number;
  /** Rows one user (GenerateRequest.user) may hold at once; 0 = no cap. */
  perUserMax: number;
}

export const DEFAULT_BATCH_SETTINGS: BatchSettings = {
  maxBatchSize: 16,
  maxWaiting: 64,
  maxTokensInFlight: 65_536,
  perUserMax: 4,
};
