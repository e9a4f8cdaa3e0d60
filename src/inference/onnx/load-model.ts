import type * as ort from 'onnxruntime-node';
import { ModelError } from '../model/errors.js';
import { type IoSpec, readIoSpec, type TensorMeta } from '../model/io-spec.js';
import { type ModelLayout, readModelLayout } from '../model/layout.js';
import type { Dtype } from '../model/variants.js';
import { type LoadedTokenizer, loadTokenizer } from '../text/load-tokenizer.js';
import { openVision } from '../vision/load.js';
import type { VisionRunner } from '../vision/runner.js';
import type { DeviceProbe } from './device.js';
import { EMBEDS_INPUT, EmbeddedSession } from './embedded-session.js';
import { type OpenedSession, openSession } from './session.js';
import { openTailSession } from './tail-session.js';

export interface LoadOptions {
  device: 'auto' | 'cpu' | 'cuda' | 'webgpu';
  dtype: Dtype | 'auto';
  threads?: number;
  /** Busy-wait between operators (see SessionOptions.spin). */
  spin?: boolean;
  probe?: DeviceProbe;
  /**
   * On CPU, reopen the graph with outputs that hold only each step's new KV positions and the
   * last logits (onnx/tail-outputs.ts), for the scheduler's batch cache (openOnnxEngine turns this
   * on). Off: the graph as it is.
   */
  tailOutputs?: boolean;
}

/** Everything needed to run one model: its files' description, a session, the IO spec and tokenizer. */
export interface LoadedModel {
  layout: ModelLayout;
  opened: OpenedSession;
  spec: IoSpec;
  tokenizer: LoadedTokenizer;
  /** Largest prompt plus answer the model takes (from its config; undefined when it does not say). */
  contextLength?: number;
  /** Logits width: token ids at or above it cannot be fed. */
  vocabSize: number;
  eosIds: Set<number>;
  /** A vision-language model's encoder and embedding (it looks at ChatMessage.images). */
  vision?: VisionRunner;
}

function tensorMeta(list: readonly ort.InferenceSession.ValueMetadata[]): TensorMeta[] {
  return list.flatMap((m) => (m.isTensor ? [{ name: m.name, type: m.type, shape: m.shape }] : []));
}

/** Reads a model directory and opens it on the chosen device. */
export async function loadModel(dir: string, options: LoadOptions): Promise<LoadedModel> {
  const layout = await readModelLayout(dir);
  const tokenizer = await loadTokenizer(dir);
  let opened = await openSession(layout, options);
  try {
    const { session } = opened;
    let spec = readIoSpec(tensorMeta(session.inputMetadata), tensorMeta(session.outputMetadata), {
      ...layout.names,
      numKvHeads: layout.numKvHeads,
      headDim: layout.headDim,
      vocabSize: layout.vocabSize,
    });
    if (session instanceof EmbeddedSession) spec = { ...spec, embedsInput: EMBEDS_INPUT };
    const vocabSize = spec.logits.vocabSize ?? layout.vocabSize;
    if (vocabSize === undefined) {
      throw new ModelError(
        'unsupported_model',
        `${dir}: neither the graph nor the config gives the vocabulary size.`,
      );
    }
    if (options.tailOutputs === true && spec.positionIds !== undefined) {
      const tail = await openTailSession(opened, spec, options);
      if (tail.ok) {
        if (session instanceof EmbeddedSession) {
          await session.decoder.release();
          opened = { ...opened, session: session.withDecoder(tail.opened.session) };
        } else {
          await session.release();
          opened = { ...opened, session: tail.opened.session };
        }
        spec = { ...spec, tails: tail.opened.tails };
      } else {
        opened = { ...opened, reason: `${opened.reason}; steps fetch whole presents (${tail.why})` };
      }
    }
    if (spec.states.length > 0) {
      opened = {
        ...opened,
        reason: `${opened.reason}; hybrid graph (${spec.states.length} conv/recurrent states): prompts prefilled without padding (staircase passes; padding would enter the states)`,
      };
    }
    const vision = await openVision(dir, opened.session, {
      device: opened.device,
      dtype: opened.graph.dtype,
      threads: options.threads ?? 0,
      spin: options.spin ?? true,
    });
    const eos = layout.eosTokenIds.length > 0 ? layout.eosTokenIds : tokenizer.eosTokenIds;
    return {
      layout,
      opened,
      spec,
      tokenizer,
      contextLength: layout.contextLength,
      vocabSize,
      eosIds: new Set(eos),
      vision,
    };
  } catch (error) {
    await opened.session.release();
    throw error;
  }
}
