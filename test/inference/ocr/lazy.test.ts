import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { OcrError } from '../../../src/inference/ocr/errors.js';
import { lazyReader } from '../../../src/inference/ocr/lazy.js';
import { OcrReader } from '../../../src/inference/ocr/reader.js';

const blank = () =>
  sharp({ create: { width: 64, height: 64, channels: 3, background: '#fff' } })
    .png()
    .toBuffer();

describe('the lazily opened OCR reader', { timeout: 60_000 }, () => {
  it('opens the real reader once, on first use, for concurrent reads, and closes it', async () => {
    let opened = 0;
    let real: OcrReader | undefined;
    const reader = lazyReader(async () => {
      opened++;
      real = await OcrReader.open({ device: 'cpu', threads: 1 });
      return real;
    });
    expect(opened).toBe(0);
    const image = await blank();
    const results = await Promise.all([reader.read(image), reader.read(image)]);
    expect(results.map((r) => r.lines)).toEqual([[], []]);
    expect(opened).toBe(1);
    await reader.close();
    await expect(real?.read(image)).rejects.toMatchObject({ code: 'closed' });
    await expect(reader.read(image)).rejects.toMatchObject({ code: 'closed' });
  });

  it('turns a failure to open into an OcrError and tries again on the next read', async () => {
    let tries = 0;
    const reader = lazyReader(async () => {
      tries++;
      if (tries === 1) throw new Error('no space left on device');
      return OcrReader.open({ device: 'cpu', threads: 1 });
    });
    const image = await blank();
    const failed = reader.read(image);
    await expect(failed).rejects.toBeInstanceOf(OcrError);
    await expect(failed).rejects.toThrow('OCR is unavailable: no space left on device');
    expect((await reader.read(image)).text).toBe('');
    expect(tries).toBe(2);
    await reader.close();
  });
});
