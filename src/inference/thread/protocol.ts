import type { ThreadPriority } from '../../util/thread-priority.js';
import type { PrefixCacheSample } from '../batching/metrics.js';
import type { SchedulerStats } from '../batching/scheduler.js';
import type { LocalEngineConfig } from '../onnx/from-config.js';
import type { EngineInfo, EngineLoad, GenerateRequest, GenerateResult, GenerationTimings } from '../types.js';

/** What the engine thread opens: the settings of the local engine and the resolved model directory. */
export interface EngineThreadData {
  config: LocalEngineConfig;
  model: { dir: string; name: string; demo: boolean };
  /**
   * The engine thread's nice value (INFERENCE_THREAD_NICE; 0 or absent: as the process). Above 0,
   * the main thread's event loop (acks, probes, streams) gets the CPU first when both want it.
   */
  nice?: number;
}

/** An error carried across the thread: EngineError's fields when it was one. */
export interface WireError {
  name: string;
  message: string;
  code?: string;
  status?: number;
  retryAfterMs?: number;
}

/**
 * `traceparent`: the W3C trace context of the caller's span, when tracing is on. A request's
 * pictures (ChatMessage.images) cross as structured clones of their bytes: the caller keeps its own.
 */
export type ToEngineThread =
  | { type: 'generate'; id: number; request: GenerateRequest; traceparent?: string }
  | {
      type: 'complete';
      id: number;
      request: Omit<GenerateRequest, 'messages'> & { prompt: string };
      traceparent?: string;
    }
  | { type: 'cancel'; id: number }
  /** Work and cancellations sent in one tick, in order (thread/outbox.ts). */
  | { type: 'batch'; messages: ToEngineThread[] }
  | { type: 'stats'; id: number }
  | { type: 'close' }
  /** Test hook: the thread exits at once, as a crash would (between two forward passes). */
  | { type: 'exit' };

export type FromEngineThread =
  | {
      type: 'ready';
      info: EngineInfo;
      device: { device: string; dtype?: string; reason: string };
      capacity: number;
      /** Requests the engine holds at most (running and waiting); the main thread refuses more at once. */
      holds: number;
      /** The thread's priority as set (EngineThreadData.nice), or why it could not be. */
      priority: ThreadPriority;
    }
  | { type: 'open_failed'; error: WireError }
  | { type: 'chunk'; id: number; text: string }
  | { type: 'done'; id: number; result: GenerateResult }
  /**
   * A traced request's timings, sent just before its 'done'. The main thread turns them into the
   * phase spans (queued, prefill, decode) ending on its own clock when it receives them: a worker's
   * clock (its own time origin) can run milliseconds apart from the main thread's.
   */
  | { type: 'spans'; traceparent: string; timings: GenerationTimings }
  | { type: 'error'; id: number; error: WireError }
  | { type: 'stats'; id: number; stats: SchedulerStats }
  | { type: 'metric'; name: 'batchSize' | 'queueDepth'; value: number }
  | { type: 'metric'; name: 'rejected'; value: 'busy' }
  | { type: 'metric'; name: 'prefixCache'; value: PrefixCacheSample }
  | { type: 'load'; load: EngineLoad }
  | { type: 'closed' };
