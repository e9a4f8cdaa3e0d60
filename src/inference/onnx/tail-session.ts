/**
 * Reopens a CPU session on the graph with tail outputs (tail-outputs.ts). Anything that goes wrong
 * (a graph too large to patch in memory, an opset without input-driven Slice, a name clash) keeps
 * the original session: the tails are a speed-up, never a requirement.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { IoSpec, TailOutputs } from '../model/io-spec.js';
import { type OpenedSession, sessionOptions } from './session.js';
import { tailPatch } from './tail-outputs.js';

/** Larger .onnx files (weights inside the graph file) would be read into memory whole: not patched. */
export const TAIL_PATCH_MAX_BYTES = 256 * 1024 * 1024;

export interface TailSession {
  session: ort.InferenceSession;
  tails: TailOutputs;
}

export type TailOutcome = { ok: true; opened: TailSession } | { ok: false; why: string };

export async function openTailSession(
  opened: OpenedSession,
  spec: IoSpec,
  options: { threads?: number; spin?: boolean },
): Promise<TailOutcome> {
  if (opened.device !== 'cpu') return { ok: false, why: `not needed on ${opened.device}` };
  const path = opened.graph.path;
  try {
    const size = (await stat(path)).size;
    if (size > TAIL_PATCH_MAX_BYTES) {
      return { ok: false, why: `${path} holds its weights (${size} bytes); not patched in memory` };
    }
    const patch = tailPatch(spec);
    const original = await readFile(path);
    const bytes = new Uint8Array(original.length + patch.bytes.length);
    bytes.set(original);
    bytes.set(patch.bytes, original.length);
    const base = sessionOptions('cpu', options.threads ?? 0, options.spin ?? true);
    const extra = (base.extra ?? {}) as { session?: Record<string, unknown> };
    const session = await ort.InferenceSession.create(bytes, {
      ...base,
      extra: {
        ...extra,
        // Loaded from memory, the graph's external data paths resolve against this folder.
        session: { ...extra.session, model_external_initializers_file_folder_path: dirname(path) },
      },
    });
    const wanted = [...patch.names.kv.values(), ...(patch.names.logits ? [patch.names.logits] : [])];
    const missing = wanted.filter((name) => !session.outputNames.includes(name));
    if (missing.length > 0) {
      await session.release();
      return { ok: false, why: `the patched graph lacks ${missing.join(', ')}` };
    }
    return { ok: true, opened: { session, tails: patch.names } };
  } catch (error) {
    return {
      ok: false,
      why: error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error),
    };
  }
}
