import { execFileSync } from 'node:child_process';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { CHINESE_LINES, ENGLISH_LINES } from '../../../src/inference/ocr/testset/corpus.js';
import { renderTestSet } from '../../../src/inference/ocr/testset/testset.js';

describe('the rendered OCR test set', { timeout: 60_000 }, () => {
  it('finds the Debian fonts it renders with (fonts-noto-cjk, fonts-dejavu-core; .ci/run installs them)', () => {
    const families = execFileSync('fc-list', [':', 'family'], { encoding: 'utf8' });
    for (const family of [
      'Noto Sans CJK SC',
      'Noto Serif CJK SC',
      'DejaVu Sans',
      'DejaVu Serif',
      'DejaVu Sans Mono',
    ]) {
      expect(families).toContain(family);
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
