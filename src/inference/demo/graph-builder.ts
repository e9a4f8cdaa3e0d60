/** Accumulates ONNX nodes and initializers with unique, readable value names. */
import {
  type AttributeDef,
  DataType,
  type GraphDef,
  type NodeDef,
  type TensorDef,
} from '../onnx-proto/onnx-proto.js';

export interface NodeOptions {
  /** Output names, or how many to generate; defaults to one generated name. */
  outputs?: readonly string[] | number;
  domain?: string;
  attributes?: readonly AttributeDef[];
}

export class GraphBuilder {
  readonly nodes: NodeDef[] = [];
  readonly initializers: TensorDef[] = [];
  private readonly used = new Set<string>();
  private readonly constants = new Map<string, string>();
  private scopeName = '';

  /** Runs `body` with node names prefixed by `/scope` (nested scopes append). */
  scoped<T>(scope: string, body: () => T): T {
    const saved = this.scopeName;
    this.scopeName = `${saved}/${scope}`;
    try {
      return body();
    } finally {
      this.scopeName = saved;
    }
  }

  /** Adds a node and returns its output names. */
  node(opType: string, inputs: readonly string[], options: NodeOptions = {}): string[] {
    const name = this.unique(`${this.scopeName}/${opType}`);
    const wanted = options.outputs ?? 1;
    const outputs =
      typeof wanted === 'number' ? Array.from({ length: wanted }, (_, i) => `${name}_output_${i}`) : wanted;
    this.nodes.push({
      opType,
      inputs,
      outputs,
      name,
      ...(options.domain ? { domain: options.domain } : {}),
      ...(options.attributes ? { attributes: options.attributes } : {}),
    });
    return [...outputs];
  }

  /** Adds a single-output node and returns its output name. */
  op(opType: string, inputs: readonly string[], options: NodeOptions = {}): string {
    const [output] = this.node(opType, inputs, options);
    if (output === undefined) throw new Error(`${opType} has no output`);
    return output;
  }

  /** Adds an initializer with the exact given name. */
  initializer(name: string, dataType: DataType, dims: readonly number[], data: Uint8Array): string {
    if (this.used.has(name)) throw new Error(`duplicate initializer name ${name}`);
    this.used.add(name);
    return this.pushTensor(name, dataType, dims, data);
  }

  floatWeight(name: string, dims: readonly number[], values: Float32Array): string {
    return this.initializer(name, DataType.FLOAT, dims, bytesOf(values));
  }

  /** An int64 constant (1-D unless `dims` says otherwise, e.g. [] for a scalar). */
  int64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.constant(DataType.INT64, values, dims, () => BigInt64Array.from(values, (v) => BigInt(v)));
  }

  /** A float32 constant (scalar by default). */
  float(values: readonly number[], dims: readonly number[] = []): string {
    return this.constant(DataType.FLOAT, values, dims, () => Float32Array.from(values));
  }

  /** Small constants are shared: the same type, shape and values give the same initializer. */
  private constant(
    dataType: DataType,
    values: readonly number[],
    dims: readonly number[],
    make: () => Float32Array | BigInt64Array,
  ): string {
    const kind = dataType === DataType.INT64 ? 'int64' : 'float';
    const key = `${kind}[${dims.join(',')}]=${values.join(',')}`;
    const known = this.constants.get(key);
    if (known) return known;
    const label = values.length <= 4 ? values.join('_') : `${values.length}`;
    const name = this.pushTensor(this.unique(`/const/${kind}_${label}`), dataType, dims, bytesOf(make()));
    this.constants.set(key, name);
    return name;
  }

  private pushTensor(name: string, dataType: DataType, dims: readonly number[], data: Uint8Array): string {
    this.initializers.push({ name, dataType, dims, data });
    return name;
  }

  /** A value name not used yet, from `base`. */
  unique(base: string): string {
    let name = base;
    for (let n = 1; this.used.has(name); n += 1) name = `${base}_${n}`;
    this.used.add(name);
    return name;
  }
}

/** The little-endian bytes of a typed array (a view, not a copy). */
export function bytesOf(array: Float32Array | BigInt64Array | Uint8Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

export const attr = {
  int: (name: string, value: number): AttributeDef => ({ name, type: 'int', value }),
  float: (name: string, value: number): AttributeDef => ({ name, type: 'float', value }),
  ints: (name: string, value: readonly number[]): AttributeDef => ({ name, type: 'ints', value }),
  graph: (name: string, value: GraphDef): AttributeDef => ({ name, type: 'graph', value }),
};
