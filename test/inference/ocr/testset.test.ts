import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { CHINESE_LINES, ENGLISH_LINES } from '../../../src/inference/ocr/testset/corpus.js';
import { renderText } from '../../../src/inference/ocr/testset/render.js';
import { renderTestSet } from '../../../src/inference/ocr/testset/testset.js';

describe('the rendered OCR test set', { timeout: 60_000 }, () => {
  it('renders each font family it uses with that font (test/fonts: from npm packages, not the system)', async () => {
    const families = [
      'Noto Sans CJK SC',
      'Noto Serif CJK SC',
      'DejaVu Sans',
      'DejaVu Serif',
      'DejaVu Sans Mono',
    ];
    const draw = (font: string) =>
      renderText(['构建 Build 01'], { font, size: 24, angle: 0, noise: 0, dark: false }, () => 0.5);
    const fallback = await draw('No Such Font Family');
    const drawn = await Promise.all(families.map(draw));
    for (const [i, image] of drawn.entries()) {
      expect(image.equals(fallback), families[i]).toBe(false);
      for (const other of drawn.slice(i + 1)) expect(image.equals(other), families[i]).toBe(false);
    }
  });

  it('is the same for the same seed and varies size, tilt, noise and encoding', async () => {
    const [a, b] = await Promise.all([renderTestSet(4, 11), renderTestSet(4, 11)]);
    expect(a).toHaveLength(8);
    a.forEach((image, k) => {
      expect(image.data.equals(b[k]?.data ?? Buffer.alloc(0)), image.name).toBe(true);
    });
    const set = await renderTestSet(7);
    expect(new Set(set.map((i) => i.style.size)).size).toBeGreaterThan(3);
    expect(new Set(set.map((i) => i.style.angle))).toEqual(new Set([0, 2, -3, 5, -7, 180]));
    expect(set.some((i) => i.style.noise > 0)).toBe(true);
    for (const image of set) {
      const meta = await sharp(image.data).metadata();
      expect(meta.format).toBe(image.extension === 'png' ? 'png' : 'jpeg');
      const corpus = image.language === 'en' ? ENGLISH_LINES : CHINESE_LINES;
      for (const line of image.text.split('\n')) expect(corpus).toContain(line);
    }
  });

  it('draws the text: a rendered line has dark ink on a light page', async () => {
    const [image] = await renderTestSet(1);
    if (image === undefined) throw new Error('no image');
    const { channels } = await sharp(image.data).stats();
    const [red] = channels;
    expect(red?.min).toBeLessThan(80);
    expect(red?.max).toBeGreaterThan(200);
  });
});
