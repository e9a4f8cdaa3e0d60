import * as ort from 'onnxruntime-node';
import { errorMessage } from '../../util/error-message.js';
import { ModelError } from '../model/errors.js';
import type { ModelLayout } from '../model/layout.js';
import { type ChosenGraph, selectGraph } from '../model/select-graph.js';
import type { DeviceKind, Dtype } from '../model/variants.js';
import { type DeviceChoice, type DeviceProbe, deviceCandidates, deviceHint, probeDevices } from './device.js';
import { EmbeddedSession } from './embedded-session.js';

export interface SessionOptions {
  device: DeviceChoice;
  dtype: Dtype | 'auto';
  /** Intra-op threads for the CPU provider; 0 lets onnxruntime decide. */
  threads?: number;
  /**
   * Let onnxruntime's idle worker threads spin (busy-wait) between operators, onnxruntime's own
   * default (true). Measured on 2 cores: ~20% faster steps when the machine is otherwise idle, up to
   * ~2x slower when other processes want the cores; turn it off on busy, shared hosts.
   */
  spin?: boolean;
  probe?: DeviceProbe;
}

export interface OpenedSession {
  session: ort.InferenceSession;
  device: DeviceKind;
  graph: ChosenGraph;
  /** Why this device: the candidate's reason plus the failures before it. */
  reason: string;
  /** Whether outputs (the KV cache, the logits) stay in GPU buffers: true on WebGPU. */
  outputsOnDevice: boolean;
}

// onnxruntime's process-wide logger would print every failed provider try (CUDA missing, no WebGPU
// adapter) on stderr; those failures come back as exceptions and are logged once, with their reason.
ort.env.logLevel = 'fatal';

function providers(device: DeviceKind): ort.InferenceSession.ExecutionProviderConfig[] {
  if (device === 'cuda') return [{ name: 'cuda' }, 'cpu'];
  if (device === 'webgpu') return [{ name: 'webgpu' }, 'cpu'];
  return ['cpu'];
}

export function sessionOptions(
  device: DeviceKind,
  threads: number,
  spin: boolean,
): ort.InferenceSession.SessionOptions {
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: providers(device),
    graphOptimizationLevel: 'all',
    // Errors come back as exceptions; onnxruntime's own error log would only repeat them on stderr.
    logSeverityLevel: 4,
  };
  if (threads > 0) options.intraOpNumThreads = threads;
  const spinning = spin ? '1' : '0';
  options.extra = {
    session: { intra_op: { allow_spinning: spinning }, inter_op: { allow_spinning: spinning } },
  };
  // Keep presents on the GPU so the KV cache never round-trips through host memory; the runner
  // downloads the logits it needs and disposes every tensor it replaces.
  if (device === 'webgpu') options.preferredOutputLocation = 'gpu-buffer';
  return options;
}

function firstLine(error: unknown): string {
  const text = errorMessage(error);
  const line = text.split('\n').find((l) => l.trim() !== '') ?? text;
  // onnxruntime prefixes its messages with the source location and the failed check.
  const cleaned = line.replace(/^\/onnxruntime_src\/\S+\s+/, '').replace(/^.* was false\.\s*/, '');
  return cleaned.slice(0, 300).replace(/\.+$/, '');
}

/**
 * A decoder that takes inputs_embeds gets its layout's embedding graph in front of it (see
 * embedded-session.ts); without one it cannot be fed, which is a clear error.
 */
async function withEmbedding(
  decoder: ort.InferenceSession,
  graph: ChosenGraph,
): Promise<ort.InferenceSession> {
  if (!EmbeddedSession.needed(decoder)) return decoder;
  if (graph.embed === undefined) {
    await decoder.release();
    throw new ModelError(
      'missing_file',
      `${graph.path} takes inputs_embeds, but no onnx/embed_tokens*.onnx lies beside it to compute them.`,
    );
  }
  try {
    // The embedding is a lookup: one thread and the CPU are plenty.
    const embed = await ort.InferenceSession.create(graph.embed, sessionOptions('cpu', 1, false));
    return new EmbeddedSession(embed, decoder);
  } catch (error) {
    await decoder.release();
    throw error;
  }
}

/**
 * Opens the model's graph on the first device that works (see deviceCandidates) and says why.
 * An explicit device that fails is a clear error; in auto mode a failure falls through to the next.
 */
export async function openSession(layout: ModelLayout, options: SessionOptions): Promise<OpenedSession> {
  const probe = options.probe ?? probeDevices();
  const candidates = deviceCandidates(options.device, probe);
  const failures: string[] = [];
  let lastError: unknown;
  for (const candidate of candidates) {
    const graph = selectGraph(layout, options.dtype, candidate.device);
    try {
      const session = await withEmbedding(
        await ort.InferenceSession.create(
          graph.path,
          sessionOptions(candidate.device, options.threads ?? 0, options.spin ?? true),
        ),
        graph,
      );
      const reason = [...failures, candidate.why].join('; ');
      return {
        session,
        device: candidate.device,
        graph,
        reason,
        outputsOnDevice: candidate.device === 'webgpu',
      };
    } catch (error) {
      lastError = error;
      failures.push(`${candidate.device} failed (${firstLine(error)})`);
      if (options.device !== 'auto' && candidate.device !== 'cpu') {
        throw new ModelError(
          'device_unavailable',
          `INFERENCE_DEVICE=${candidate.device} is unavailable: ${firstLine(error)}. ${deviceHint(candidate.device, probe)}`,
          { cause: error },
        );
      }
    }
  }
  throw new ModelError(
    'bad_file',
    `Cannot load ${selectGraph(layout, options.dtype, 'cpu').path}: ${firstLine(lastError)}. Is the .onnx file (and its .onnx_data) complete ` +
      '(a partial download or a Git LFS pointer instead of the file)?',
    { cause: lastError },
  );
}
