/**
 * Writes a ModelDef as `<name>.onnx`, moving large initializers to `<name>.onnx_data` the way
 * onnx.save_model(save_as_external_data=True) does: data_location EXTERNAL with location, offset
 * and length entries. Offsets are page aligned so runtimes can map the file.
 */
import { open, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { encodeModel, type ModelDef, type TensorDef } from '../onnx-proto/onnx-proto.js';

export interface OnnxWriteOptions {
  /** Initializers of at least this many bytes go to the external data file; Infinity keeps all inline. */
  externalThreshold: number;
  alignment?: number;
}

export interface WrittenOnnx {
  modelPath: string;
  /** Absent when every initializer stayed inline. */
  dataPath?: string;
  modelBytes: number;
  dataBytes: number;
}

const DEFAULT_ALIGNMENT = 4096;

interface Placement {
  offset: number;
  data: Uint8Array;
}

function placeExternal(
  initializers: readonly TensorDef[],
  location: string,
  threshold: number,
  alignment: number,
): { tensors: TensorDef[]; placements: Placement[]; size: number } {
  const tensors: TensorDef[] = [];
  const placements: Placement[] = [];
  let size = 0;
  for (const tensor of initializers) {
    if (tensor.data.byteLength < threshold) {
      tensors.push(tensor);
      continue;
    }
    const offset = Math.ceil(size / alignment) * alignment;
    const length = tensor.data.byteLength;
    placements.push({ offset, data: tensor.data });
    tensors.push({ ...tensor, external: { location, offset, length } });
    size = offset + length;
  }
  return { tensors, placements, size };
}

async function writeDataFile(path: string, placements: readonly Placement[]): Promise<void> {
  const file = await open(path, 'w');
  try {
    let position = 0;
    for (const { offset, data } of placements) {
      if (offset > position) await file.write(new Uint8Array(offset - position));
      await file.write(data);
      position = offset + data.byteLength;
    }
  } finally {
    await file.close();
  }
}

export async function writeOnnxModel(
  dir: string,
  fileName: string,
  model: ModelDef,
  options: OnnxWriteOptions,
): Promise<WrittenOnnx> {
  const modelPath = join(dir, fileName);
  const location = `${basename(fileName)}_data`;
  const alignment = options.alignment ?? DEFAULT_ALIGNMENT;
  const placed = placeExternal(model.graph.initializers, location, options.externalThreshold, alignment);
  const bytes = encodeModel({ ...model, graph: { ...model.graph, initializers: placed.tensors } });
  await writeFile(modelPath, bytes);
  if (placed.placements.length === 0) return { modelPath, modelBytes: bytes.length, dataBytes: 0 };
  const dataPath = join(dir, location);
  await writeDataFile(dataPath, placed.placements);
  return { modelPath, dataPath, modelBytes: bytes.length, dataBytes: placed.size };
}
