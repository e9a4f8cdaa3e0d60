import type { GenerationTimings } from '../types.js';

/** Where a generation's time went; the benchmark and `generate --json` report these. */
export type Timings = GenerationTimings;

export interface StepTimer {
  /** One forward pass of `ms` inside session.run, with `rows` rows in it. */
  run(ms: number, rows?: number): void;
  prefillDone(promptTokens: number): void;
  token(): void;
  done(): Timings;
}

export function stepTimer(now: () => number = () => performance.now()): StepTimer {
  const start = now();
  let prefillEnd: number | undefined;
  let firstToken: number | undefined;
  let promptTokens = 0;
  let decodeRunMs = 0;
  let decodeSteps = 0;
  let rowSteps = 0;
  let rowsMax = 0;
  return {
    run(ms, rows = 1) {
      if (prefillEnd !== undefined) {
        decodeRunMs += ms;
        decodeSteps++;
        rowSteps += rows;
        rowsMax = Math.max(rowsMax, rows);
      }
    },
    prefillDone(tokens) {
      promptTokens = tokens;
      prefillEnd = now();
    },
    token() {
      firstToken ??= now();
    },
    done() {
      const end = now();
      const prefilled = prefillEnd ?? end;
      return {
        promptTokens,
        prefillMs: prefilled - start,
        firstTokenMs: (firstToken ?? end) - start,
        decodeMs: end - prefilled,
        decodeRunMs,
        decodeSteps,
        batchRowsMean: decodeSteps === 0 ? 0 : rowSteps / decodeSteps,
        batchRowsMax: rowsMax,
        totalMs: end - start,
      };
    },
  };
}
