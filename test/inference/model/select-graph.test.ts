import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../../src/inference/model/errors.js';
import { type ModelLayout, readModelLayout } from '../../../src/inference/model/layout.js';
import { availableDtypes, selectGraph } from '../../../src/inference/model/select-graph.js';
import {
  type DeviceKind,
  DTYPE_PREFERENCE,
  DTYPES,
  type Dtype,
  dtypeOfFileName,
  isExternalDataOf,
  parseDtype,
  variantFileName,
} from '../../../src/inference/model/variants.js';
import { demoModelDir, QWEN_DIR, thrown } from './support.js';

const DEVICES: DeviceKind[] = ['cpu', 'cuda', 'webgpu'];

/** An HF layout holding the given variants (the files need not exist: selectGraph only reads the layout). */
function hfLayout(dtypes: readonly Dtype[]): ModelLayout {
  const dir = '/models/example';
  return {
    dir,
    kind: 'hf',
    modelType: 'llama',
    graphs: Object.fromEntries(dtypes.map((d) => [d, join(dir, 'onnx', variantFileName(d))])),
    embedGraphs: {},
    eosTokenIds: [],
    names: {},
    generation: {},
  };
}

describe('variants', () => {
  it('maps every dtype to its file name and back, for both graph base names', () => {
    for (const dtype of DTYPES) {
      for (const base of ['model', 'decoder_model_merged']) {
        const file = variantFileName(dtype, base);
        expect(dtypeOfFileName(file, base)).toBe(dtype);
      }
    }
    expect(variantFileName('fp32')).toBe('model.onnx');
    expect(variantFileName('q4f16')).toBe('model_q4f16.onnx');
    expect(variantFileName('fp16', 'decoder_model_merged')).toBe('decoder_model_merged_fp16.onnx');
  });

  it('names no dtype for other files', () => {
    expect(dtypeOfFileName('model_q3.onnx')).toBeUndefined();
    expect(dtypeOfFileName('model.onnx_data')).toBeUndefined();
    expect(dtypeOfFileName('model_q4.onnx_data')).toBeUndefined();
    expect(dtypeOfFileName('decoder_model_merged.onnx')).toBeUndefined();
    expect(dtypeOfFileName('model.onnx', 'decoder_model_merged')).toBeUndefined();
  });

  it('recognizes external data files, split ones included, of exactly one graph', () => {
    expect(isExternalDataOf('model_q4.onnx_data', 'model_q4.onnx')).toBe(true);
    expect(isExternalDataOf('model_q4.onnx_data_1', 'model_q4.onnx')).toBe(true);
    expect(isExternalDataOf('model_q4.onnx_data', 'model.onnx')).toBe(false);
    expect(isExternalDataOf('model_q4f16.onnx_data', 'model_q4.onnx')).toBe(false);
    expect(isExternalDataOf('model.onnx', 'model.onnx')).toBe(false);
  });

  it('ranks every dtype once for every device', () => {
    for (const device of DEVICES) {
      expect([...DTYPE_PREFERENCE[device]].sort()).toEqual([...DTYPES].sort());
    }
    expect(DTYPE_PREFERENCE.cpu[0]).toBe('q4');
    expect(DTYPE_PREFERENCE.cuda[0]).toBe('fp16');
    expect(DTYPE_PREFERENCE.webgpu[0]).toBe('q4f16');
  });

  it('parseDtype accepts the known dtypes and lists them when given another', () => {
    for (const dtype of DTYPES) expect(parseDtype(dtype)).toBe(dtype);
    const error = thrown(() => parseDtype('q3'));
    expect(error).toBeInstanceOf(Error);
    const { message } = error as Error;
    expect(message).toContain('"q3"');
    expect(message).toContain(`expected one of ${DTYPES.join(', ')}`);
  });
});

describe('selectGraph', () => {
  it('auto picks, per device, the first present variant in DTYPE_PREFERENCE order', () => {
    for (const device of DEVICES) {
      // Take the best away one at a time: the next in the ranking must be chosen each time.
      const remaining = [...DTYPES];
      for (const expected of DTYPE_PREFERENCE[device]) {
        const chosen = selectGraph(hfLayout(remaining), 'auto', device);
        expect(chosen).toEqual({
          dtype: expected,
          path: join('/models/example/onnx', variantFileName(expected)),
        });
        remaining.splice(remaining.indexOf(expected), 1);
      }
      expect(remaining).toEqual([]);
    }
  });

  it('auto picks what suits the device among typical downloads', () => {
    const fullAndHalf = hfLayout(['fp32', 'fp16']);
    expect(selectGraph(fullAndHalf, 'auto', 'cpu').dtype).toBe('fp32');
    expect(selectGraph(fullAndHalf, 'auto', 'cuda').dtype).toBe('fp16');
    expect(selectGraph(fullAndHalf, 'auto', 'webgpu').dtype).toBe('fp16');
    const quantized = hfLayout(['q4', 'q4f16', 'int8']);
    expect(selectGraph(quantized, 'auto', 'cpu').dtype).toBe('q4');
    expect(selectGraph(quantized, 'auto', 'cuda').dtype).toBe('q4f16');
    expect(selectGraph(quantized, 'auto', 'webgpu').dtype).toBe('q4f16');
  });

  it('picks q4 of the demo model on every device (it has fp32 and q4)', async () => {
    const dir = await demoModelDir();
    const layout = await readModelLayout(dir);
    expect(availableDtypes(layout).sort()).toEqual(['fp32', 'q4']);
    for (const device of DEVICES) {
      expect(selectGraph(layout, 'auto', device)).toEqual({
        dtype: 'q4',
        path: join(dir, 'onnx', 'model_q4.onnx'),
      });
    }
    expect(selectGraph(layout, 'fp32', 'cpu')).toEqual({
      dtype: 'fp32',
      path: join(dir, 'onnx', 'model.onnx'),
    });
  });

  it('returns an asked variant that is present whatever the device', () => {
    const layout = hfLayout(['fp32', 'q4', 'fp16']);
    expect(selectGraph(layout, 'fp32', 'cuda')).toEqual({
      dtype: 'fp32',
      path: '/models/example/onnx/model.onnx',
    });
    expect(selectGraph(layout, 'fp16', 'cpu')).toEqual({
      dtype: 'fp16',
      path: '/models/example/onnx/model_fp16.onnx',
    });
  });

  it('an asked variant that is missing is variant_missing and lists the present ones', () => {
    const error = thrown(() => selectGraph(hfLayout(['fp32', 'q4']), 'q4f16', 'webgpu'));
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'variant_missing' });
    const { message } = error as Error;
    expect(message).toContain('/models/example has no q4f16 variant');
    expect(message).toContain('it has: fp32, q4.');
    expect(message).toContain('--dtype');
  });

  it('a layout with no graphs is missing_file', () => {
    const error = thrown(() => selectGraph(hfLayout([]), 'auto', 'cpu'));
    expect(error).toMatchObject({ code: 'missing_file', message: '/models/example holds no model graph.' });
  });

  it("returns a genai model's single graph without a dtype", async () => {
    const layout = await readModelLayout(QWEN_DIR);
    expect(availableDtypes(layout)).toEqual([]);
    for (const device of DEVICES) {
      expect(selectGraph(layout, 'auto', device)).toEqual({ path: join(QWEN_DIR, 'decoder.onnx') });
    }
  });
});
