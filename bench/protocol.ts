/**
 * What the benchmark's parent process and its two child processes (one per engine) exchange.
 * The parent passes a job as JSON in argv[2], then sends requests as JSON lines on the child's
 * stdin, one at a time; the child answers each with one stdout line starting with RESULT_MARKER
 * (anything else a library prints on stdout is passed on to stderr). Both children stay up for the
 * whole run so the parent can alternate between them: load from other users of the machine then
 * falls on both sides alike.
 */
import { createInterface } from 'node:readline';

export type BenchDtype = 'fp32' | 'q4';

export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Prompts of one length class; the first candidate that decodes `tokens` ids without EOS is used. */
export interface PromptGroup {
  label: string;
  candidates: ChatTurn[][];
}

export interface CommonJob {
  modelDir: string;
  dtype: BenchDtype;
  threads: number;
  tokens: number;
  /** Run teambot's engine in its own thread (ThreadEngine), as the server does. */
  thread?: boolean;
}

export interface TeambotJob extends CommonJob {
  groups: PromptGroup[];
  /** BATCH_MAX_SIZE of teambot's engine (the highest concurrency measured, at least 1). */
  maxBatchSize: number;
  /** PREFIX_CACHE_BYTES of teambot's engine; absent: 0 (off), so reruns of one prompt prefill it again. */
  prefixCacheBytes?: number;
  /** CONTEXT_LENGTH of teambot's engine; absent: 2048. */
  contextLength?: number;
}

/** A prompt teambot chose, with the ids both sides must agree on. */
export interface ChosenPrompt {
  label: string;
  messages: ChatTurn[];
  promptIds: number[];
  outputIds: number[];
}

export interface PeerJob extends CommonJob {
  prompts: ChosenPrompt[];
}

/**
 * select (teambot only): screen the candidates, answer Selected. run: generate chosen prompt
 * number `prompt`, answer RunSample. finish: release the model, answer Finished and exit.
 */
export type Request =
  | { kind: 'select' }
  | { kind: 'run'; prompt: number }
  | BurstRequest
  /** bench:threads: one turn of a conversation (the whole conversation so far), answer TurnSample. */
  | { kind: 'turn'; messages: ChatTurn[] }
  | { kind: 'finish' };

/**
 * burst: start one generation per prompt at once (or `staggerMs` apart), each as its own chat user,
 * all concurrently as an app serving that many people would; answer BurstSample.
 */
export interface BurstRequest {
  kind: 'burst';
  prompts: ChatTurn[][];
  staggerMs?: number;
}

/** One request of a burst, in ms from the moment the burst started. */
export interface BurstRequestSample {
  /** When its first new token was chosen. */
  ttftMs: number;
  endMs: number;
  newTokens: number;
  outputIds: number[];
  /** The peer's: when its prompt's ids were ready (chat template done), and how many there were. */
  templateMs?: number;
  promptTokens?: number;
}

export interface BurstSample {
  requests: BurstRequestSample[];
  /** From the start of the burst until the last request ended. */
  wallMs: number;
  /** teambot only: how long running rows waited while newcomers were prefilled (one entry per join). */
  stallsMs?: number[];
  /** teambot only: mean rows per decode step during the burst. */
  meanBatch?: number;
}

export interface Selected {
  chosen: ChosenPrompt[];
}

/**
 * One generation, in milliseconds from the moment the prompt's token ids are ready
 * (chat template and tokenization excluded, except in wallMs).
 */
export interface RunSample {
  promptTokens: number;
  newTokens: number;
  /** Until the prompt's logits are ready. */
  prefillMs: number;
  /** Until the first new token is chosen. */
  ttftMs: number;
  /** From the end of prefill to the end (decode steps, sampling, detokenizing). */
  decodeMs: number;
  /** Of decodeMs, the time inside onnxruntime's session.run. */
  decodeRunMs: number;
  totalMs: number;
  /** From the chat messages to the final result: template and tokenization included. */
  wallMs: number;
  /**
   * CPU time of the side's whole process over wallMs (user + system, every thread): the work done,
   * which load from other processes sways much less than the times above.
   */
  cpuMs: number;
}

export interface Finished {
  /** The engine and its version, e.g. "@huggingface/transformers 4.3.1". */
  engine: string;
  /** The onnxruntime-node version the side ran on. */
  onnxruntime: string;
  /** Opening the model (session and tokenizer). */
  loadMs: number;
  /** process.resourceUsage().maxRSS at the end of the child, in kB. */
  peakRssKb: number;
  /** Problems that make the comparison unfair (the ids differ, EOS came early); empty when none. */
  errors: string[];
}

export interface PromptResult {
  label: string;
  promptTokens: number;
  newTokens: number;
  samples: RunSample[];
}

/** One side's whole run, as the parent assembles it. */
export interface SideResult extends Finished {
  prompts: PromptResult[];
}

export const RESULT_MARKER = '@@bench-result ';

export function readJob<T>(): T {
  const raw = process.argv[2];
  if (raw === undefined) throw new Error('usage: node --import tsx bench/<side>.ts <job as JSON>');
  return JSON.parse(raw) as T;
}

export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** The child's loop: answers the parent's requests in order until `finish`. */
export async function serve(handle: (request: Request) => Promise<unknown>): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const request = JSON.parse(line) as Request;
    const reply = await handle(request);
    process.stdout.write(`${RESULT_MARKER}${JSON.stringify(reply)}\n`);
    if (request.kind === 'finish') break;
  }
  lines.close();
}

/** Index of the first difference between two id lists, or -1 when they are equal. */
export function firstDifference(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
/** One side's answer to a `turn` request (bench:threads). */
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
