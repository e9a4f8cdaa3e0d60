import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcrError } from '../../../src/inference/ocr/errors.js';
import { lazyOcrFromConfig } from '../../../src/inference/ocr/from-config.js';
import { OcrReader } from '../../../src/inference/ocr/reader.js';
import { renderText } from '../../../src/inference/ocr/testset/render.js';
import { OcrThread } from '../../../src/inference/ocr/thread/ocr-thread.js';

const STYLE = { font: 'DejaVu Sans Mono', size: 36, angle: 0, noise: 0, dark: false };

let image: Buffer;
let inProcess: OcrReader;
beforeAll(async () => {
  image = await renderText(['Deploy on Friday at 10:30', 'Room 42 is booked'], STYLE, () => 0.5);
  inProcess = await OcrReader.open({ device: 'cpu', threads: 1 });
});
afterAll(() => inProcess?.close());

describe('OCR in its own thread', () => {
  it('reads the same lines as the reader on this thread', async () => {
    const thread = new OcrThread({ device: 'cpu', threads: 1 });
    try {
      const [there, here] = await Promise.all([thread.read(image), inProcess.read(image)]);
      expect(there.text).toBe(here.text);
      expect(there.text).toContain('Room 42');
      expect(there.lines.map((l) => l.box)).toEqual(here.lines.map((l) => l.box));
    } finally {
      await thread.close();
    }
  });

  it('fails the read a dying thread held with a clear OcrError, then reads again in a new thread', async () => {
    const thread = new OcrThread({ device: 'cpu', threads: 1 });
    try {
      await thread.warmUp();
      const held = thread.read(image);
      await thread.killThreadForTest();
      const error = await held.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OcrError);
      expect((error as OcrError).message).toMatch(/OCR thread stopped/);
      expect((await thread.read(image)).text).toContain('Room 42');
    } finally {
      await thread.close();
    }
  });

  it('is what the server builds from config, and refuses reads once closed', async () => {
    const reader = lazyOcrFromConfig({ INFERENCE_DEVICE: 'cpu', INFERENCE_THREADS: 1, OCR_MAX_SIDE: 960 });
    expect((await reader.read(image)).text).toContain('Deploy on Friday');
    await reader.close();
    const error = await reader.read(image).catch((e: unknown) => e);
    expect((error as OcrError).code).toBe('closed');
  });
});
