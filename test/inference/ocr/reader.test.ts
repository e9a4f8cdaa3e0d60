import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { characterErrorRate } from '../../../src/inference/ocr/cer.js';
import { OcrError } from '../../../src/inference/ocr/errors.js';
import { OcrReader } from '../../../src/inference/ocr/reader.js';
import { renderText } from '../../../src/inference/ocr/testset/render.js';
import { renderTestSet, type TestImage } from '../../../src/inference/ocr/testset/testset.js';
import { createRng } from '../../../src/inference/sampling/rng.js';
import { useOcrReader } from './support.js';

const reader = useOcrReader();
let images: TestImage[];
beforeAll(async () => {
  images = await renderTestSet(8);
}, 60_000);

describe('OCR on the rendered test set (real PP-OCRv4 sessions)', { timeout: 120_000 }, () => {
  it('reads English and Chinese in several fonts, sizes, tilts, noise levels and upside down under 3% CER', async () => {
    const totals = { en: { errors: 0, length: 0 }, zh: { errors: 0, length: 0 } };
    for (const image of images) {
      const result = await reader().read(image.data);
      const cer = characterErrorRate(image.text, result.text);
      totals[image.language].errors += cer.errors;
      totals[image.language].length += cer.length;
      expect(cer.cer, `${image.name} ${JSON.stringify(image.style)}: ${result.text}`).toBeLessThan(0.15);
    }
    expect(totals.en.length).toBeGreaterThan(200);
    expect(totals.zh.length).toBeGreaterThan(80);
    expect(totals.en.errors / totals.en.length).toBeLessThan(0.03);
    expect(totals.zh.errors / totals.zh.length).toBeLessThan(0.03);
  });

  it('returns each line with its box inside the image and its confidence, in reading order', async () => {
    const image = images.find((i) => i.language === 'en' && i.text.includes('\n') && i.style.angle === 0);
    if (image === undefined) throw new Error('the test set has no level two-line English image');
    const result = await reader().read(image.data);
    const { width, height } = await sharp(image.data).metadata();
    expect([result.width, result.height]).toEqual([width, height]);
    expect(result.lines.map((l) => l.text)).toEqual(image.text.split('\n'));
    const [first, second] = result.lines;
    for (const line of result.lines) {
      expect(line.confidence).toBeGreaterThan(0.8);
      expect(line.confidence).toBeLessThanOrEqual(1);
      expect(line.detectionScore).toBeGreaterThan(0.6);
      for (const p of line.box) {
        expect(p.x).toBeGreaterThanOrEqual(-2);
        expect(p.x).toBeLessThanOrEqual(result.width + 2);
        expect(p.y).toBeGreaterThanOrEqual(-2);
        expect(p.y).toBeLessThanOrEqual(result.height + 2);
      }
    }
    expect(Math.max(...(first?.box.map((p) => p.y) ?? []))).toBeLessThan(
      Math.max(...(second?.box.map((p) => p.y) ?? [])),
    );
    expect(result.timings.detectMs).toBeGreaterThan(0);
    expect(result.timings.recognizeMs).toBeGreaterThan(0);
  });

  it('turns upside-down text with the direction classifier', async () => {
    const upside = images.filter((i) => i.style.angle === 180);
    expect(upside.length).toBeGreaterThan(0);
    for (const image of upside) {
      const result = await reader().read(image.data);
      expect(result.lines.map((l) => l.rotated180)).toEqual([true]);
      expect(characterErrorRate(image.text, result.text).cer).toBeLessThan(0.05);
    }
  });

  it('reads a line that mixes Chinese and English, spaces kept between the English words', async () => {
    const style = { font: 'Noto Sans CJK SC', size: 28, angle: 0, noise: 0, dark: false };
    const data = await renderText(['构建失败: Build failed on main'], style, createRng(1));
    const result = await reader().read(data);
    expect(characterErrorRate('构建失败: Build failed on main', result.text).cer).toBeLessThan(0.05);
    expect(result.text).toMatch(/Build failed on main/);
  });

  it('finds no text in a blank image', async () => {
    const blank = await sharp({ create: { width: 300, height: 120, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    const result = await reader().read(blank);
    expect(result).toMatchObject({ text: '', lines: [], width: 300, height: 120 });
  });

  it('refuses bytes that are not an image, and a truncated image, with a coded error', async () => {
    const garbage = new Uint8Array(512).map((_, i) => (i * 37) % 251);
    await expect(reader().read(garbage)).rejects.toMatchObject({ name: 'OcrError', code: 'bad_image' });
    const png = images[0]?.data ?? Buffer.alloc(0);
    const truncated = png.subarray(0, Math.floor(png.length / 3));
    await expect(reader().read(truncated)).rejects.toBeInstanceOf(OcrError);
    await expect(reader().read('/nonexistent/image.png')).rejects.toMatchObject({ code: 'bad_image' });
  });

  it('stops at an aborted signal and refuses to read once closed', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    await expect(reader().read(images[0]?.data ?? new Uint8Array(), controller.signal)).rejects.toThrow(
      'shutting down',
    );
    const own = await OcrReader.open({ device: 'cpu', threads: 1 });
    await own.close();
    await expect(own.read(images[0]?.data ?? new Uint8Array())).rejects.toMatchObject({ code: 'closed' });
  });
});
