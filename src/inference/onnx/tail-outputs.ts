/**
 * onnxruntime-node copies every fetched output into a new JavaScript ArrayBuffer. A decode step
 * that fetches its presents therefore copies the whole KV cache out of onnxruntime on every step:
 * for the bench model at 16 rows × 250 positions that is 82 MB, about two thirds of the step. The
 * patch below adds, for each present, an output holding only the step's new positions (a Slice of
 * the last `sequence_length` entries on its sequence axis), and one holding the last position's
 * logits. The batch cache fetches those and keeps the rest of the cache itself.
 *
 * The patch is a second `graph` field appended to the ModelProto bytes: protobuf merges repeated
 * occurrences of an embedded message field, so the new nodes and outputs are appended to the
 * original graph's and nothing of the original is rewritten (weights in external data stay put).
 */
import type { IoSpec, TailOutputs } from '../model/io-spec.js';
import {
  DataType,
  encodeNode,
  encodeValueInfo,
  type NodeDef,
  type ValueInfoDef,
} from '../onnx-proto/onnx-proto.js';
import { ProtoWriter } from '../onnx-proto/protobuf.js';
import { kvPairs } from './kv-cache.js';

const PREFIX = 'teambot_tail';
/** ModelProto.graph. */
const MODEL_GRAPH_FIELD = 7;
/** GraphProto.node and GraphProto.output. */
const GRAPH_NODE_FIELD = 1;
const GRAPH_OUTPUT_FIELD = 12;
/** Slice end meaning "to the end of the axis". */
const TO_END = Number.MAX_SAFE_INTEGER;

function int64Constant(name: string, values: readonly number[]): NodeDef {
  const data = new Uint8Array(BigInt64Array.from(values.map((v) => BigInt(v))).buffer);
  return {
    opType: 'Constant',
    name,
    inputs: [],
    outputs: [name],
    attributes: [
      {
        name: 'value',
        type: 'tensor',
        value: { name, dataType: DataType.INT64, dims: [values.length], data },
      },
    ],
  };
}

export interface TailPatch {
  /** Bytes to append to the .onnx file's bytes. */
  bytes: Uint8Array;
  names: TailOutputs;
}

/** The graph patch for `spec`'s presents (and logits, unless the graph already keeps only the last). */
export function tailPatch(spec: IoSpec): TailPatch {
  const n = (what: string) => `${PREFIX}/${what}`;
  const nodes: NodeDef[] = [
    int64Constant(n('one'), [1]),
    int64Constant(n('two'), [2]),
    int64Constant(n('three'), [3]),
    int64Constant(n('last'), [-1]),
    int64Constant(n('end'), [TO_END]),
    {
      opType: 'Shape',
      name: n('ids_shape'),
      // [batch, seq] ids or [batch, seq, hidden] embeddings: the step's length is axis 1 of both.
      inputs: [spec.embedsInput ?? spec.inputIds.name],
      outputs: [n('ids_shape')],
    },
    // [sequence_length] of this step, negated: Slice from -seq to the end keeps the new positions.
    { opType: 'Slice', name: n('seq'), inputs: [n('ids_shape'), n('one'), n('two')], outputs: [n('seq')] },
    { opType: 'Neg', name: n('neg_seq'), inputs: [n('seq')], outputs: [n('neg_seq')] },
  ];
  const outputs: ValueInfoDef[] = [];
  const floatType = (t: 'float32' | 'float16') => (t === 'float16' ? DataType.FLOAT16 : DataType.FLOAT);
  const kv = new Map<string, string>();
  const stacked = spec.kv.kind === 'stacked';
  const axis = n(stacked ? 'three' : 'two');
  for (const [, present] of kvPairs(spec)) {
    const tail = n(`new/${present}`);
    nodes.push({
      opType: 'Slice',
      name: tail,
      inputs: [present, n('neg_seq'), n('end'), axis],
      outputs: [tail],
    });
    const shape = stacked
      ? [2, 'batch', spec.kv.numKvHeads, 'seq', spec.kv.headDim]
      : ['batch', spec.kv.numKvHeads, 'seq', spec.kv.headDim];
    outputs.push({ name: tail, elemType: floatType(spec.kv.type), shape });
    kv.set(present, tail);
  }
  let logits: string | undefined;
  if (spec.logitsToKeep === undefined) {
    logits = n('last_logits');
    nodes.push({
      opType: 'Slice',
      name: logits,
      inputs: [spec.logits.name, n('last'), n('end'), n('one')],
      outputs: [logits],
    });
    outputs.push({
      name: logits,
      elemType: floatType(spec.logits.type),
      shape: ['batch', 1, spec.logits.vocabSize ?? 'vocab'],
    });
  }
  const graph = new ProtoWriter();
  for (const node of nodes) graph.bytes(GRAPH_NODE_FIELD, encodeNode(node));
  for (const output of outputs) graph.bytes(GRAPH_OUTPUT_FIELD, encodeValueInfo(output));
  return {
    bytes: new ProtoWriter().bytes(MODEL_GRAPH_FIELD, graph.finish()).finish(),
    names: { kv, logits },
  };
}
