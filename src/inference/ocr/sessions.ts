import * as ort from 'onnxruntime-node';
import { errorMessage } from '../../util/error-message.js';
import type { DeviceKind } from '../model/variants.js';
import {
  type DeviceChoice,
  type DeviceProbe,
  deviceCandidates,
  deviceHint,
  probeDevices,
} from '../onnx/device.js';
import { OcrError } from './errors.js';
import type { OcrModelPaths } from './models.js';

export interface OcrSessions {
  detection: ort.InferenceSession;
  classifier: ort.InferenceSession;
  recognition: ort.InferenceSession;
  device: DeviceKind;
  /** Why this device: the candidate's reason plus the failures before it. */
  reason: string;
}

export interface OcrSessionOptions {
  device: DeviceChoice;
  /** Intra-op threads for the CPU provider; 0 lets onnxruntime decide. */
  threads: number;
  probe?: DeviceProbe;
}

// As the engine does (src/inference/onnx/session.ts): failed provider tries come back as exceptions
// and are reported once with their reason, not also printed by onnxruntime's process-wide logger.
ort.env.logLevel = 'fatal';

function options(device: DeviceKind, threads: number): ort.InferenceSession.SessionOptions {
  const providers: ort.InferenceSession.ExecutionProviderConfig[] =
    device === 'cuda'
      ? [{ name: 'cuda' }, 'cpu']
      : device === 'webgpu'
        ? [{ name: 'webgpu' }, 'cpu']
        : ['cpu'];
  return {
    executionProviders: providers,
    graphOptimizationLevel: 'all',
    logSeverityLevel: 4,
    ...(threads > 0 ? { intraOpNumThreads: threads } : {}),
  };
}

function firstLine(error: unknown): string {
  const text = errorMessage(error);
  const line = text.split('\n').find((l) => l.trim() !== '') ?? text;
  // onnxruntime prefixes its messages with the source location, a lambda and the failed check.
  return line
    .replace(/^\/onnxruntime_src\/.*? was false\.\s*/, '')
    .replace(/^\/onnxruntime_src\/\S+\s+/, '')
    .slice(0, 300)
    .replace(/\.+$/, '');
}

async function openAll(paths: OcrModelPaths, device: DeviceKind, threads: number) {
  const opened: ort.InferenceSession[] = [];
  try {
    for (const path of [paths.detection, paths.classifier, paths.recognition]) {
      opened.push(await ort.InferenceSession.create(path, options(device, threads)));
    }
    return opened as [ort.InferenceSession, ort.InferenceSession, ort.InferenceSession];
  } catch (error) {
    await Promise.all(opened.map((s) => s.release()));
    throw error;
  }
}

/**
 * Opens the three OCR models on the first device that works, with the engine's order and reasons
 * (src/inference/onnx/device.ts): CUDA when its provider is installed, WebGPU, then CPU.
 */
export async function openOcrSessions(
  paths: OcrModelPaths,
  settings: OcrSessionOptions,
): Promise<OcrSessions> {
  const probe = settings.probe ?? probeDevices();
  const failures: string[] = [];
  let lastError: unknown;
  for (const candidate of deviceCandidates(settings.device, probe)) {
    try {
      const [detection, classifier, recognition] = await openAll(paths, candidate.device, settings.threads);
      const reason = [...failures, candidate.why].join('; ');
      return { detection, classifier, recognition, device: candidate.device, reason };
    } catch (error) {
      lastError = error;
      failures.push(`${candidate.device} failed (${firstLine(error)})`);
      if (settings.device !== 'auto' && candidate.device !== 'cpu') {
        throw new OcrError(
          'device_unavailable',
          `INFERENCE_DEVICE=${candidate.device} is unavailable for OCR: ${firstLine(error)}. ${deviceHint(candidate.device, probe)}`,
          { cause: error },
        );
      }
    }
  }
  throw new OcrError('model_missing', `Cannot load the OCR models: ${firstLine(lastError)}.`, {
    cause: lastError,
  });
}
