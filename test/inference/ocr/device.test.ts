import { describe, expect, it } from 'vitest';
import { OcrReader } from '../../../src/inference/ocr/reader.js';

const WITHOUT_CUDA = { libraryDir: '/nonexistent/onnxruntime/bin' };

describe("OCR execution provider (the engine's device choice)", { timeout: 60_000 }, () => {
  it('refuses an explicit CUDA device whose provider is not installed, saying how to install it', async () => {
    const opening = OcrReader.open({ device: 'cuda', threads: 1, probe: WITHOUT_CUDA });
    await expect(opening).rejects.toMatchObject({ name: 'OcrError', code: 'device_unavailable' });
    await expect(opening).rejects.toThrow(
      /INFERENCE_DEVICE=cuda is unavailable for OCR.*CUDA provider is not installed/,
    );
  });

  it('in auto mode skips CUDA without its provider, tries WebGPU, and says why it ended where it did', async () => {
    const reader = await OcrReader.open({ device: 'auto', threads: 1, probe: WITHOUT_CUDA });
    try {
      const { device, reason } = reader.device();
      expect(['webgpu', 'cpu']).toContain(device);
      if (device === 'cpu') expect(reason).toMatch(/^webgpu failed \(.+\); auto: CPU always works$/);
      else expect(reason).toMatch(/no CUDA provider/);
    } finally {
      await reader.close();
    }
  });

  it('uses the CPU when told to', async () => {
    const reader = await OcrReader.open({ device: 'cpu', threads: 1 });
    expect(reader.device()).toEqual({ device: 'cpu', reason: 'INFERENCE_DEVICE=cpu' });
    await reader.close();
  });
});
