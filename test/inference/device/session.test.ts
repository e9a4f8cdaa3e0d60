import { rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelError } from '../../../src/inference/model/errors.js';
import { readModelLayout } from '../../../src/inference/model/layout.js';
import { type DeviceProbe, probeDevices } from '../../../src/inference/onnx/device.js';
import { type OpenedSession, openSession, type SessionOptions } from '../../../src/inference/onnx/session.js';
import { copyModel, demoModelDir, GPT2_DIR, QWEN_DIR, rejection, tempDir } from '../model/support.js';

const REAL_PROBE = probeDevices();
/** Whether this onnxruntime-node really has the CUDA provider (the probes below may pretend otherwise). */
const CUDA_INSTALLED = REAL_PROBE.cudaLibrary !== undefined;
const NO_CUDA: DeviceProbe = { libraryDir: REAL_PROBE.libraryDir };
/** Claims a CUDA provider that this machine lacks, to see the "installed but did not start" path. */
const FAKE_CUDA: DeviceProbe = {
  libraryDir: REAL_PROBE.libraryDir,
  cudaLibrary: join(REAL_PROBE.libraryDir, 'libonnxruntime_providers_cuda.so'),
};

async function open(dir: string, options: SessionOptions): Promise<OpenedSession> {
  return openSession(await readModelLayout(dir), options);
}

/** Opens, checks, releases. */
async function withSession(dir: string, options: SessionOptions, check: (opened: OpenedSession) => void) {
  const opened = await open(dir, options);
  try {
    check(opened);
  } finally {
    await opened.session.release();
  }
}

let demoDir: string;
let scratch: { path: string; cleanup(): Promise<void> };
beforeAll(async () => {
  demoDir = await demoModelDir();
  scratch = await tempDir();
});
afterAll(async () => {
  await scratch?.cleanup();
});

/** A copy of the demo model (tokenizer and configs, both variants) for breaking one file. */
async function demoCopy(name: string): Promise<string> {
  return copyModel(demoDir, join(scratch.path, name));
}

describe('openSession on CPU', () => {
  it('opens the CPU default variant and says why', async () => {
    await withSession(demoDir, { device: 'cpu', dtype: 'auto', probe: NO_CUDA }, (opened) => {
      expect(opened.device).toBe('cpu');
      expect(opened.graph).toEqual({ dtype: 'q4', path: join(demoDir, 'onnx', 'model_q4.onnx') });
      expect(opened.reason).toBe('INFERENCE_DEVICE=cpu');
      expect(opened.outputsOnDevice).toBe(false);
      expect(opened.session.inputNames).toContain('past_key_values.0.key');
    });
  });

  it('accepts a thread count and runs a forward pass with it', async () => {
    for (const threads of [1, 2, 0]) {
      const opened = await open(GPT2_DIR, { device: 'cpu', dtype: 'auto', threads, probe: NO_CUDA });
      try {
        expect(opened.device).toBe('cpu');
        const ids = [464, 582, 531];
        const feeds: Record<string, ort.Tensor> = {
          input_ids: new ort.Tensor('int32', Int32Array.from(ids), [1, 3]),
          position_ids: new ort.Tensor('int32', Int32Array.from([0, 1, 2]), [1, 3]),
          attention_mask: new ort.Tensor('int32', Int32Array.from([1, 1, 1]), [1, 3]),
        };
        for (let i = 0; i < 5; i++)
          feeds[`past_${i}`] = new ort.Tensor('float32', new Float32Array(0), [2, 1, 4, 0, 8]);
        const out = await opened.session.run(feeds);
        expect(out.logits?.dims).toEqual([1, 3, 1000]);
        expect(out.present_0?.dims).toEqual([2, 1, 4, 3, 8]);
      } finally {
        await opened.session.release();
      }
    }
  });

  it('opens the Qwen fixture (float16) on CPU', async () => {
    await withSession(QWEN_DIR, { device: 'cpu', dtype: 'auto' }, (opened) => {
      expect(opened.device).toBe('cpu');
      expect(opened.graph).toEqual({ path: join(QWEN_DIR, 'decoder.onnx') });
      expect(opened.session.inputNames).not.toContain('position_ids');
    });
  });
});

describe('openSession with an explicit GPU device', () => {
  it('cuda without the provider library is device_unavailable with the install command', async () => {
    const options: SessionOptions = { device: 'cuda', dtype: 'auto', probe: NO_CUDA };
    if (CUDA_INSTALLED) {
      // A machine with the provider: the same request opens on CUDA.
      await withSession(demoDir, { ...options, probe: REAL_PROBE }, (opened) => {
        expect(opened.device).toBe('cuda');
        expect(opened.reason).toBe('INFERENCE_DEVICE=cuda');
      });
      return;
    }
    const error = await rejection(() => open(demoDir, options));
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'device_unavailable' });
    const { message } = error as Error;
    expect(message).toMatch(/^INFERENCE_DEVICE=cuda is unavailable: /);
    expect(message).toContain('npm rebuild onnxruntime-node --onnxruntime-node-install=cuda12');
    expect(message).toContain(REAL_PROBE.libraryDir);
    expect((error as Error).cause).toBeDefined();
  });

  it('cuda whose provider is said to be installed but does not start points at the driver', async () => {
    if (CUDA_INSTALLED) {
      await withSession(demoDir, { device: 'cuda', dtype: 'auto', probe: FAKE_CUDA }, (opened) => {
        expect(opened.device).toBe('cuda');
      });
      return;
    }
    const error = await rejection(() => open(demoDir, { device: 'cuda', dtype: 'auto', probe: FAKE_CUDA }));
    expect(error).toMatchObject({ code: 'device_unavailable' });
    expect((error as Error).message).toContain('The CUDA provider is installed but did not start');
    expect((error as Error).message).not.toContain('npm rebuild');
  });

  it('webgpu either opens on a GPU adapter or is device_unavailable naming the adapter', async () => {
    const options: SessionOptions = { device: 'webgpu', dtype: 'auto', probe: NO_CUDA };
    let opened: OpenedSession | undefined;
    let failure: unknown;
    try {
      opened = await open(demoDir, options);
    } catch (error) {
      failure = error;
    }
    if (opened !== undefined) {
      try {
        expect(opened.device).toBe('webgpu');
        expect(opened.reason).toBe('INFERENCE_DEVICE=webgpu');
        expect(opened.outputsOnDevice).toBe(true);
        // The demo model has no half-precision variant: WebGPU's next preference is q4.
        expect(opened.graph.dtype).toBe('q4');
      } finally {
        await opened.session.release();
      }
      return;
    }
    expect(failure).toBeInstanceOf(ModelError);
    expect(failure).toMatchObject({ code: 'device_unavailable' });
    const { message } = failure as Error;
    expect(message).toMatch(/^INFERENCE_DEVICE=webgpu is unavailable: /);
    expect(message).toMatch(/adapter/i);
    expect(message).toContain('WebGPU needs a GPU adapter');
  });
});

describe('openSession with device auto', () => {
  it('falls back from WebGPU to CPU and says why (or opens on WebGPU where there is an adapter)', async () => {
    await withSession(demoDir, { device: 'auto', dtype: 'auto', probe: NO_CUDA }, (opened) => {
      if (opened.device === 'webgpu') {
        expect(opened.reason).toBe(`auto: no CUDA provider in ${NO_CUDA.libraryDir}; WebGPU is bundled`);
        expect(opened.outputsOnDevice).toBe(true);
        return;
      }
      expect(opened.device).toBe('cpu');
      expect(opened.outputsOnDevice).toBe(false);
      expect(opened.reason).toMatch(/^webgpu failed \(.+\); auto: CPU always works$/);
      expect(opened.reason).toMatch(/adapter/i);
      expect(opened.graph).toEqual({ dtype: 'q4', path: join(demoDir, 'onnx', 'model_q4.onnx') });
    });
  });

  it('tries CUDA first when the probe reports its provider, and records each failure', async () => {
    await withSession(GPT2_DIR, { device: 'auto', dtype: 'auto', probe: FAKE_CUDA }, (opened) => {
      if (opened.device === 'cuda') {
        expect(CUDA_INSTALLED).toBe(true);
        expect(opened.reason).toBe(`auto: the CUDA provider is installed (${FAKE_CUDA.cudaLibrary})`);
        return;
      }
      expect(opened.reason).toMatch(/^cuda failed \(.+\); /);
      if (opened.device === 'cpu') {
        expect(opened.reason).toMatch(/; webgpu failed \(.+\); auto: CPU always works$/);
      } else {
        expect(opened.device).toBe('webgpu');
        expect(opened.reason).toMatch(/; auto: WebGPU is bundled$/);
      }
    });
  });

  it('an asked variant the model lacks fails before any device is tried', async () => {
    const error = await rejection(() => open(demoDir, { device: 'auto', dtype: 'fp16', probe: NO_CUDA }));
    expect(error).toMatchObject({ code: 'variant_missing' });
  });
});

describe('openSession with broken files', () => {
  it('a corrupt graph is bad_file with a clear message, on cpu and on auto', async () => {
    const dir = await demoCopy('corrupt');
    const graph = join(dir, 'onnx', 'model.onnx');
    await rm(graph);
    await writeFile(graph, Buffer.from('this is not an ONNX protobuf \u0000\u00ff\u0012\u0034 at all'));
    for (const device of ['cpu', 'auto'] as const) {
      const error = await rejection(() => open(dir, { device, dtype: 'fp32', probe: NO_CUDA }));
      expect(error).toBeInstanceOf(ModelError);
      expect(error).toMatchObject({ code: 'bad_file' });
      const { message } = error as Error;
      expect(message).toContain(`Cannot load ${dir}/onnx/`);
      expect(message).toContain(graph);
      expect(message).toMatch(/protobuf parsing failed/i);
      expect(message).toContain('partial download or a Git LFS pointer');
      expect(message).not.toContain('\n');
    }
  });

  it('a Git LFS pointer in place of the graph is bad_file', async () => {
    const dir = await demoCopy('lfs-pointer');
    const graph = join(dir, 'onnx', 'model_q4.onnx');
    await rm(graph);
    await writeFile(
      graph,
      'version https://git-lfs.github.com/spec/v1\noid sha256:0123456789abcdef\nsize 35758\n',
    );
    const error = await rejection(() => open(dir, { device: 'cpu', dtype: 'auto', probe: NO_CUDA }));
    expect(error).toMatchObject({ code: 'bad_file' });
    expect((error as Error).message).toContain('Git LFS pointer');
  });

  it('a truncated external data file is bad_file saying the data cannot be read in full', async () => {
    const dir = await demoCopy('truncated');
    await truncate(join(dir, 'onnx', 'model_q4.onnx_data'), 1000);
    const error = await rejection(() => open(dir, { device: 'cpu', dtype: 'q4', probe: NO_CUDA }));
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'bad_file' });
    const { message } = error as Error;
    expect(message).toContain(`Cannot load ${dir}/onnx/`);
    expect(message).toMatch(/out of bounds|can not be read in full/);
    expect(message).toContain('Is the .onnx file (and its .onnx_data) complete');
  });

  it('a missing external data file is bad_file naming it', async () => {
    const dir = await demoCopy('no-data');
    await rm(join(dir, 'onnx', 'model_q4.onnx_data'));
    const error = await rejection(() => open(dir, { device: 'cpu', dtype: 'q4', probe: NO_CUDA }));
    expect(error).toMatchObject({ code: 'bad_file' });
    expect((error as Error).message).toContain(join(dir, 'onnx', 'model_q4.onnx_data'));
  });

  it('the intact variant beside a broken one still opens', async () => {
    const dir = await demoCopy('one-broken');
    await truncate(join(dir, 'onnx', 'model_q4.onnx_data'), 10);
    await withSession(dir, { device: 'cpu', dtype: 'fp32', probe: NO_CUDA }, (opened) => {
      expect(opened.graph.dtype).toBe('fp32');
    });
  });
});
