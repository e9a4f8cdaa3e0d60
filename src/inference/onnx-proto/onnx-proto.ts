/**
 * Encodes the subset of onnx.proto that a decoder-only model needs: ModelProto, GraphProto,
 * NodeProto, AttributeProto, TensorProto (inline raw_data or external data) and ValueInfoProto.
 * Field numbers follow onnx/onnx.proto.
 */
import { ProtoWriter } from './protobuf.js';

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, UINT8: 2, INT64: 7, BOOL: 9, FLOAT16: 10 } as const;
export type DataType = (typeof DataType)[keyof typeof DataType];

/** Where a tensor's bytes live in the external data file (`location` is relative to the .onnx). */
export interface ExternalRef {
  location: string;
  offset: number;
  length: number;
}

export interface TensorDef {
  name: string;
  dataType: DataType;
  dims: readonly number[];
  /** Little-endian element bytes. Ignored when `external` is set (the bytes go to the data file). */
  data: Uint8Array;
  external?: ExternalRef;
}

export type AttributeDef =
  | { name: string; type: 'int'; value: number }
  | { name: string; type: 'float'; value: number }
  | { name: string; type: 'string'; value: string }
  | { name: string; type: 'ints'; value: readonly number[] }
  | { name: string; type: 'floats'; value: readonly number[] }
  | { name: string; type: 'tensor'; value: TensorDef }
  /** A subgraph (the body of Scan, Loop or If). */
  | { name: string; type: 'graph'; value: GraphDef };

export interface NodeDef {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name: string;
  domain?: string;
  attributes?: readonly AttributeDef[];
}

/** A graph input/output: element type and a shape of fixed sizes or symbolic names. */
export interface ValueInfoDef {
  name: string;
  elemType: DataType;
  shape: readonly (number | string)[];
}

export interface GraphDef {
  name: string;
  nodes: readonly NodeDef[];
  initializers: readonly TensorDef[];
  inputs: readonly ValueInfoDef[];
  outputs: readonly ValueInfoDef[];
}

export interface OpsetDef {
  domain: string;
  version: number;
}

export interface ModelDef {
  irVersion: number;
  producerName: string;
  producerVersion: string;
  opsets: readonly OpsetDef[];
  graph: GraphDef;
}

/** AttributeProto.AttributeType values. */
const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, tensor: 4, graph: 5, floats: 6, ints: 7 } as const;
const DATA_LOCATION_EXTERNAL = 1;

export function encodeTensor(tensor: TensorDef): Uint8Array {
  const w = new ProtoWriter().packedInts(1, tensor.dims).int(2, tensor.dataType).string(8, tensor.name);
  if (tensor.external) {
    const entries: [string, string][] = [
      ['location', tensor.external.location],
      ['offset', String(tensor.external.offset)],
      ['length', String(tensor.external.length)],
    ];
    for (const [key, value] of entries) {
      w.bytes(13, new ProtoWriter().string(1, key).string(2, value).finish());
    }
    w.int(14, DATA_LOCATION_EXTERNAL);
  } else {
    w.bytes(9, tensor.data);
  }
  return w.finish();
}

function encodeAttribute(attr: AttributeDef): Uint8Array {
  const w = new ProtoWriter().string(1, attr.name);
  switch (attr.type) {
    case 'float':
      w.float(2, attr.value);
      break;
    case 'int':
      w.int(3, attr.value);
      break;
    case 'string':
      w.string(4, attr.value);
      break;
    case 'tensor':
      w.bytes(5, encodeTensor(attr.value));
      break;
    case 'graph':
      w.bytes(6, encodeGraph(attr.value));
      break;
    case 'floats':
      w.packedFloats(7, attr.value);
      break;
    case 'ints':
      w.packedInts(8, attr.value);
      break;
  }
  return w.int(20, ATTRIBUTE_TYPE[attr.type]).finish();
}

export function encodeNode(node: NodeDef): Uint8Array {
  const w = new ProtoWriter();
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, node.name).string(4, node.opType);
  for (const attr of node.attributes ?? []) w.bytes(5, encodeAttribute(attr));
  if (node.domain) w.string(7, node.domain);
  return w.finish();
}

export function encodeValueInfo(info: ValueInfoDef): Uint8Array {
  const shape = new ProtoWriter();
  for (const dim of info.shape) {
    const d = new ProtoWriter();
    if (typeof dim === 'number') d.int(1, dim);
    else d.string(2, dim);
    shape.bytes(1, d.finish());
  }
  const tensorType = new ProtoWriter().int(1, info.elemType).bytes(2, shape.finish()).finish();
  const type = new ProtoWriter().bytes(1, tensorType).finish();
  return new ProtoWriter().string(1, info.name).bytes(2, type).finish();
}

function encodeGraph(graph: GraphDef): Uint8Array {
  const w = new ProtoWriter();
  for (const node of graph.nodes) w.bytes(1, encodeNode(node));
  w.string(2, graph.name);
  for (const tensor of graph.initializers) w.bytes(5, encodeTensor(tensor));
  for (const input of graph.inputs) w.bytes(11, encodeValueInfo(input));
  for (const output of graph.outputs) w.bytes(12, encodeValueInfo(output));
  return w.finish();
}

export function encodeModel(model: ModelDef): Uint8Array {
  const w = new ProtoWriter().int(1, model.irVersion).string(2, model.producerName);
  w.string(3, model.producerVersion);
  w.bytes(7, encodeGraph(model.graph));
  for (const opset of model.opsets) {
    w.bytes(8, new ProtoWriter().string(1, opset.domain).int(2, opset.version).finish());
  }
  return w.finish();
}
