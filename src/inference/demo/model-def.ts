/** The ModelProto fields every generated graph shares: IR version, producer and opsets. */
import type { ModelDef, ValueInfoDef } from '../onnx-proto/onnx-proto.js';
import type { GraphBuilder } from './graph-builder.js';
import { MS_DOMAIN } from './linear.js';
import { GENERATOR_VERSION } from './spec.js';

export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;
export const PRODUCER_NAME = 'teambot-demo';

export interface GraphIo {
  inputs: ValueInfoDef[];
  outputs: ValueInfoDef[];
}

/** A model of the builder's nodes and initializers; `quantized` adds com.microsoft (MatMulNBits). */
export function modelDef(name: string, g: GraphBuilder, io: GraphIo, quantized: boolean): ModelDef {
  return {
    irVersion: ONNX_IR_VERSION,
    producerName: PRODUCER_NAME,
    producerVersion: String(GENERATOR_VERSION),
    opsets: [{ domain: '', version: ONNX_OPSET }, ...(quantized ? [{ domain: MS_DOMAIN, version: 1 }] : [])],
    graph: { name, nodes: g.nodes, initializers: g.initializers, ...io },
  };
}
