import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DeviceKind } from '../model/variants.js';

export type DeviceChoice = 'auto' | DeviceKind;

export interface DeviceCandidate {
  device: DeviceKind;
  /** Why this device is tried (logged with the outcome). */
  why: string;
}

/** What the machine offers, gathered by `probeDevices` (injectable for tests). */
export interface DeviceProbe {
  /** Path of onnxruntime-node's CUDA provider library when it is installed, else undefined. */
  cudaLibrary?: string;
  /** The directory where it would be. */
  libraryDir: string;
}

const CUDA_LIBRARY: Partial<Record<NodeJS.Platform, string>> = {
  linux: 'libonnxruntime_providers_cuda.so',
  win32: 'onnxruntime_providers_cuda.dll',
};

/** Looks for the CUDA provider next to onnxruntime-node's binding (where its install script puts it). */
export function probeDevices(): DeviceProbe {
  const packageJson = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
  const libraryDir = join(dirname(packageJson), 'bin', 'napi-v6', process.platform, process.arch);
  const name = CUDA_LIBRARY[process.platform];
  const path = name === undefined ? undefined : join(libraryDir, name);
  return { libraryDir, cudaLibrary: path !== undefined && existsSync(path) ? path : undefined };
}

export const CUDA_HOWTO =
  'install it with `npm rebuild onnxruntime-node --onnxruntime-node-install=cuda12` ' +
  '(needs internet and an NVIDIA driver with CUDA 12)';

/**
 * The devices to try, in order. `auto` tries CUDA only when its provider library is installed,
 * then WebGPU (bundled, but needs a GPU adapter), then CPU. An explicit choice is tried alone.
 */
export function deviceCandidates(choice: DeviceChoice, probe: DeviceProbe): DeviceCandidate[] {
  if (choice === 'cpu') return [{ device: 'cpu', why: 'INFERENCE_DEVICE=cpu' }];
  if (choice === 'cuda') return [{ device: 'cuda', why: 'INFERENCE_DEVICE=cuda' }];
  if (choice === 'webgpu') return [{ device: 'webgpu', why: 'INFERENCE_DEVICE=webgpu' }];
  const candidates: DeviceCandidate[] = [];
  if (probe.cudaLibrary !== undefined) {
    candidates.push({ device: 'cuda', why: `auto: the CUDA provider is installed (${probe.cudaLibrary})` });
  }
  candidates.push({
    device: 'webgpu',
    why:
      probe.cudaLibrary === undefined
        ? `auto: no CUDA provider in ${probe.libraryDir}; WebGPU is bundled`
        : 'auto: WebGPU is bundled',
  });
  candidates.push({ device: 'cpu', why: 'auto: CPU always works' });
  return candidates;
}

/** A one-line hint for an explicit device that failed to start. */
export function deviceHint(device: DeviceKind, probe: DeviceProbe): string {
  if (device === 'cuda') {
    return probe.cudaLibrary === undefined
      ? `onnxruntime-node's CUDA provider is not installed in ${probe.libraryDir}: ${CUDA_HOWTO}.`
      : 'The CUDA provider is installed but did not start: check the NVIDIA driver and the CUDA 12 / cuDNN 9 libraries.';
  }
  if (device === 'webgpu') {
    return 'WebGPU needs a GPU adapter (Vulkan on Linux, D3D12 on Windows, Metal on macOS); none was found.';
  }
  return 'The CPU provider failed to start.';
}
