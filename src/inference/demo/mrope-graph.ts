/**
 * Multimodal rotary angles (M-RoPE) from `position_ids` [3, batch, seq]: each rotary frequency
 * turns with one of the three position rows (temporal, height, width), chosen by `mrope_section`:
 * in blocks (Qwen2-VL, Qwen2.5-VL) or interleaved t, h, w, t, h, w, … (Qwen3-VL, Qwen3.5). For text
 * the three rows are equal and this is plain RoPE.
 */
import { DataType } from '../onnx-proto/onnx-proto.js';
import { attr, type GraphBuilder } from './graph-builder.js';
import { mropeSection } from './hybrid-config.js';
import { inverseFrequencies, type RotaryTables, tablesOf } from './llama-attention.js';
import type { DemoSpec } from './spec.js';

/** Which position row (0 t, 1 h, 2 w) turns frequency j, as transformers assigns them. */
export function mropeAxes(section: readonly [number, number, number], interleaved: boolean): number[] {
  const [t, h, w] = section;
  const half = t + h + w;
  return Array.from({ length: half }, (_, j) => {
    if (!interleaved) return j < t ? 0 : j < t + h ? 1 : 2;
    if (j % 3 === 1 && j < 3 * h) return 1;
    if (j % 3 === 2 && j < 3 * w) return 2;
    return 0;
  });
}

export function mropeTables(g: GraphBuilder, spec: DemoSpec): RotaryTables {
  return g.scoped('rotary_emb', () => {
    const half = spec.headDim / 2;
    const invFreq = g.floatWeight('model.rotary_emb.inv_freq', [half], inverseFrequencies(spec));
    const axes = mropeAxes(mropeSection(spec), spec.arch === 'qwen3_5');
    const mask = new Float32Array(3 * half);
    axes.forEach((axis, j) => {
      mask[axis * half + j] = 1;
    });
    const select = g.floatWeight('model.rotary_emb.mrope_rows', [3, 1, 1, half], mask);
    const positions = g.op('Cast', ['position_ids'], { attributes: [attr.int('to', DataType.FLOAT)] });
    const angles = g.op('Mul', [g.op('Unsqueeze', [positions, g.int64([3])]), invFreq]); // [3,B,S,D/2]
    const chosen = g.op('ReduceSum', [g.op('Mul', [angles, select]), g.int64([0])], {
      attributes: [attr.int('keepdims', 0)],
    }); // [B,S,D/2]
    return tablesOf(g, chosen);
  });
}
