/**
 * The engine thread's entry: opens the local engine (scheduler, sessions, tokenizer, sampling)
 * and serves the main thread's requests over the message protocol in protocol.ts. Every forward
 * pass runs here, so the main thread's event loop (acks, probes, other streams) never waits on one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThreadPriority, type ThreadPriority } from '../../util/thread-priority.js';
import type { BatchMetrics } from '../batching/metrics.js';
import type { OnnxEngine } from '../onnx/engine.js';
import { openLocalEngine } from '../onnx/from-config.js';
import type { Generation } from '../types.js';
import type { EngineThreadData, FromEngineThread, ToEngineThread } from './protocol.js';
import { toWire } from './wire-error.js';

const port = parentPort;
if (port === null) throw new Error('engine-worker.ts runs as a worker thread only.');
const data = workerData as EngineThreadData;
const post = (message: FromEngineThread) => port.postMessage(message);
const running = new Map<number, AbortController>();
let engine: OnnxEngine | undefined;

function reportLoad(): void {
  if (engine === undefined) return;
  const stats = engine.batchStats();
  post({
    type: 'load',
    load: {
      // Requests this thread holds that are not waiting: a cancelled row counts as gone at once.
      running: Math.max(0, running.size - stats.waiting),
      waiting: stats.waiting,
      tokensInFlight: stats.tokensInFlight,
      capacity: stats.capacity,
    },
  });
}

/** The scheduler's metrics go to the main thread's registry (one /metrics), with the load after each. */
const metrics: BatchMetrics = {
  batchSize: (rows) => {
    post({ type: 'metric', name: 'batchSize', value: rows });
    reportLoad();
  },
  queueDepth: (waiting) => {
    post({ type: 'metric', name: 'queueDepth', value: waiting });
    reportLoad();
  },
  rejected: (reason) => post({ type: 'metric', name: 'rejected', value: reason }),
  prefixCache: (sample) => post({ type: 'metric', name: 'prefixCache', value: sample }),
};

async function serve(id: number, generation: Generation, traceparent: string | undefined): Promise<void> {
  try {
    for await (const text of generation) post({ type: 'chunk', id, text });
    const result = await generation.result;
    if (traceparent !== undefined && result.timings !== undefined) {
      post({ type: 'spans', traceparent, timings: result.timings });
    }
    post({ type: 'done', id, result });
  } catch (error) {
    post({ type: 'error', id, error: toWire(error) });
  } finally {
    running.delete(id);
    reportLoad();
  }
}

function start(open: OnnxEngine, message: ToEngineThread & { id: number }): void {
  const controller = new AbortController();
  running.set(message.id, controller);
  if (message.type === 'generate') {
    void serve(message.id, open.generate(message.request, controller.signal), message.traceparent);
  } else if (message.type === 'complete') {
    void serve(message.id, open.complete(message.request, controller.signal), message.traceparent);
  }
}

async function close(): Promise<void> {
  for (const controller of running.values()) controller.abort();
  await engine?.close();
  post({ type: 'closed' });
  port?.close();
}

function handle(message: ToEngineThread): void {
  switch (message.type) {
    case 'batch':
      for (const each of message.messages) handle(each);
      return;
    case 'generate':
    case 'complete':
      if (engine !== undefined) start(engine, message);
      else post({ type: 'error', id: message.id, error: { name: 'Error', message: 'not open yet' } });
      return;
    case 'cancel':
      running.get(message.id)?.abort();
      return;
    case 'stats':
      if (engine !== undefined) post({ type: 'stats', id: message.id, stats: engine.batchStats() });
      return;
    case 'close':
      void close();
      return;
    case 'exit':
      // Ends this thread only (process.exit in a worker stops the worker), with requests in flight.
      process.exit(1);
  }
}

port.on('message', handle);

// Before the sessions open: onnxruntime's pool threads, started by this thread, inherit it.
let priority: ThreadPriority = { nice: 0, unsupported: 'not asked (nice 0)' };
try {
  if ((data.nice ?? 0) > 0) priority = lowerThreadPriority(data.nice ?? 0);
} catch (error) {
  priority = { nice: 0, unsupported: (error as Error).message };
}
try {
  engine = await openLocalEngine(data.config, data.model, metrics);
  const stats = engine.batchStats();
  post({
    type: 'ready',
    info: engine.info(),
    device: engine.device(),
    capacity: stats.capacity,
    holds: stats.holds,
    priority,
  });
} catch (error) {
  post({ type: 'open_failed', error: toWire(error) });
}
