import type * as ort from 'onnxruntime-node';
import type { IoSpec } from '../model/io-spec.js';
import type { Timings } from '../onnx/timings.js';
import type { SamplingParams } from '../sampling/sample.js';
import type { TextTokenizer } from '../text/tokenizer.js';
import type { FinishReason } from '../types.js';
import type { VisionRunner } from '../vision/runner.js';

/** One request's decoding settings, as the scheduler runs them (see onnx/params.ts). */
export interface DecodeParams extends SamplingParams {
  maxNewTokens: number;
  seed: number;
  stop: readonly string[];
  eosIds: ReadonlySet<number>;
  /** Prompt tokens per prefill step: bounds the logits buffer and the time one step holds the session. */
  prefillChunk: number;
}

/** What the scheduler decodes with: the session, its inputs and outputs, and the tokenizer. */
export interface DecodeDeps {
  session: ort.InferenceSession;
  spec: IoSpec;
  tokenizer: TextTokenizer;
  /** The vision encoder and embedding of a vision-language model (rows with pictures). */
  vision?: VisionRunner;
}

/** How one request ended: its text and tokens, why it stopped, and where its time went. */
export interface DecodeOutcome {
  text: string;
  tokens: number[];
  finishReason: FinishReason;
  timings: Timings;
}
