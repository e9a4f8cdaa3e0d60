import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CUDA_HOWTO,
  type DeviceProbe,
  deviceCandidates,
  deviceHint,
  probeDevices,
} from '../../../src/inference/onnx/device.js';

const LIBRARY_DIR = '/opt/ort/bin/napi-v6/linux/x64';
const WITHOUT_CUDA: DeviceProbe = { libraryDir: LIBRARY_DIR };
const WITH_CUDA: DeviceProbe = {
  libraryDir: LIBRARY_DIR,
  cudaLibrary: join(LIBRARY_DIR, 'libonnxruntime_providers_cuda.so'),
};

describe('deviceCandidates', () => {
  it('auto without the CUDA provider tries WebGPU then CPU, saying where CUDA was looked for', () => {
    const candidates = deviceCandidates('auto', WITHOUT_CUDA);
    expect(candidates.map((c) => c.device)).toEqual(['webgpu', 'cpu']);
    expect(candidates[0]?.why).toBe(`auto: no CUDA provider in ${LIBRARY_DIR}; WebGPU is bundled`);
    expect(candidates[1]?.why).toBe('auto: CPU always works');
  });

  it('auto with the CUDA provider tries CUDA first, then WebGPU, then CPU', () => {
    const candidates = deviceCandidates('auto', WITH_CUDA);
    expect(candidates.map((c) => c.device)).toEqual(['cuda', 'webgpu', 'cpu']);
    expect(candidates[0]?.why).toBe(`auto: the CUDA provider is installed (${WITH_CUDA.cudaLibrary})`);
    expect(candidates[1]?.why).toBe('auto: WebGPU is bundled');
    expect(candidates[2]?.why).toBe('auto: CPU always works');
  });

  it('an explicit device is tried alone, whatever the probe says', () => {
    for (const probe of [WITHOUT_CUDA, WITH_CUDA]) {
      for (const device of ['cpu', 'cuda', 'webgpu'] as const) {
        expect(deviceCandidates(device, probe)).toEqual([{ device, why: `INFERENCE_DEVICE=${device}` }]);
      }
    }
  });
});

describe('deviceHint', () => {
  it('CUDA without its provider: where it was looked for and the install command', () => {
    const hint = deviceHint('cuda', WITHOUT_CUDA);
    expect(hint).toContain(LIBRARY_DIR);
    expect(hint).toContain(CUDA_HOWTO);
    expect(hint).toContain('npm rebuild onnxruntime-node --onnxruntime-node-install=cuda12');
  });

  it('CUDA with its provider installed points at the driver and libraries instead', () => {
    const hint = deviceHint('cuda', WITH_CUDA);
    expect(hint).not.toContain('npm rebuild');
    expect(hint).toContain('NVIDIA driver');
    expect(hint).toContain('cuDNN');
  });

  it('WebGPU says it needs a GPU adapter', () => {
    expect(deviceHint('webgpu', WITHOUT_CUDA)).toMatch(/needs a GPU adapter.*Vulkan on Linux/);
    expect(deviceHint('cpu', WITHOUT_CUDA)).toBe('The CPU provider failed to start.');
  });
});

describe('probeDevices', () => {
  it("looks next to onnxruntime-node's native binding and reports CUDA only when its library exists", () => {
    const probe = probeDevices();
    expect(
      probe.libraryDir.endsWith(join('onnxruntime-node', 'bin', 'napi-v6', process.platform, process.arch)),
    ).toBe(true);
    expect(statSync(probe.libraryDir).isDirectory()).toBe(true);
    if (probe.cudaLibrary === undefined) {
      expect(existsSync(join(probe.libraryDir, 'libonnxruntime_providers_cuda.so'))).toBe(false);
    } else {
      expect(probe.cudaLibrary.startsWith(probe.libraryDir)).toBe(true);
      expect(existsSync(probe.cudaLibrary)).toBe(true);
    }
  });
});
