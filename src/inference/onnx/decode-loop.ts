import type * as ort from 'onnxruntime-node';
import type { IoSpec } from '../model/io-spec.js';
import { createRng } from '../sampling/rng.js';
import { type SamplingParams, sampleToken } from '../sampling/sample.js';
import { IncrementalDecoder } from '../text/incremental-decoder.js';
import { StopMatcher } from '../text/stop-matcher.js';
import type { TextTokenizer } from '../text/tokenizer.js';
import type { FinishReason } from '../types.js';
import { forward } from './forward.js';
import { KvCache } from './kv-cache.js';
import { type StepTimer, stepTimer, type Timings } from './timings.js';

export interface DecodeParams extends SamplingParams {
  maxNewTokens: number;
  seed: number;
  stop: readonly string[];
  eosIds: ReadonlySet<number>;
  /** Prompt tokens per prefill step: bounds the logits buffer and the time one step holds the session. */
  prefillChunk: number;
}

export interface DecodeDeps {
  session: ort.InferenceSession;
  spec: IoSpec;
  tokenizer: TextTokenizer;
}

export interface DecodeOutcome {
  text: string;
  tokens: number[];
  finishReason: FinishReason;
  timings: Timings;
}

async function prefill(
  deps: DecodeDeps,
  cache: KvCache,
  promptIds: readonly number[],
  chunk: number,
  timer: StepTimer,
) {
  let logits: Float32Array | undefined;
  for (let start = 0; start < promptIds.length; start += chunk) {
    const ids = promptIds.slice(start, start + chunk);
    const positions = ids.map((_, i) => start + i);
    const step = await forward(deps.session, deps.spec, cache, {
      ids,
      positions,
      seqLength: ids.length,
    });
    timer.run(step.runMs);
    logits = step.logits;
  }
  if (logits === undefined) throw new Error('The prompt is empty.');
  return logits;
}

/**
 * One sequence from prompt to finish: prefill (chunked), then one token per step with the KV cache.
 * Yields text as soon as it is whole UTF-8 and cannot be the start of a stop string. Stops on an
 * EOS id, a stop string, maxNewTokens, or the signal (finish reason "cancelled").
 */
export async function* decodeLoop(
  deps: DecodeDeps,
  promptIds: readonly number[],
  params: DecodeParams,
  signal: AbortSignal,
): AsyncGenerator<string, DecodeOutcome, undefined> {
  const cache = new KvCache(deps.spec);
  const timer = stepTimer();
  const decoder = new IncrementalDecoder(deps.tokenizer);
  const stops = new StopMatcher([...params.stop]);
  const rng = createRng(params.seed);
  const history = [...promptIds];
  const tokens: number[] = [];
  let text = '';
  let finishReason: FinishReason = 'length';
  let stopped = false;
  try {
    let logits = await prefill(deps, cache, promptIds, params.prefillChunk, timer);
    timer.prefillDone(promptIds.length);
    while (tokens.length < params.maxNewTokens) {
      if (signal.aborted) {
        finishReason = 'cancelled';
        break;
      }
      const token = sampleToken(logits, params, { previousIds: history, rng });
      timer.token();
      if (params.eosIds.has(token)) {
        finishReason = 'stop';
        break;
      }
      tokens.push(token);
      history.push(token);
      const pushed = stops.push(decoder.push(token));
      const emit = pushed.emit;
      stopped = pushed.stopped;
      if (emit !== '') {
        text += emit;
        yield emit;
      }
      if (stopped) break;
      if (tokens.length >= params.maxNewTokens) break;
      const position = promptIds.length + tokens.length - 1;
      const step = await forward(deps.session, deps.spec, cache, {
        ids: [token],
        positions: [position],
        seqLength: 1,
      });
      timer.run(step.runMs);
      logits = step.logits;
    }
    if (!stopped) {
      const tail = stops.push(decoder.flush());
      stopped = tail.stopped;
      const rest = tail.emit + (stopped ? '' : stops.flush());
      if (rest !== '') {
        text += rest;
        yield rest;
      }
    }
    if (stopped) finishReason = 'stop';
    return { text, tokens, finishReason, timings: timer.done() };
  } finally {
    cache.dispose();
  }
}
