import { beforeAll, describe, expect, it } from 'vitest';
import { type RenderStyle, renderText } from '../../../src/inference/ocr/testset/render.js';
import { type Keyframe, readVideoText, similarity } from '../../../src/inference/ocr/video.js';
import { createRng } from '../../../src/inference/sampling/rng.js';
import { useOcrReader } from './support.js';

const reader = useOcrReader();
const TITLE = 'Release checklist for version 2.8';
const STEP_ONE = 'Step 1: run the database migration';
const STEP_TWO = '第二步：重启所有服务器';

let keyframes: Keyframe[];
beforeAll(async () => {
  const random = createRng(3);
  const style = (noise: number, size = 24): RenderStyle => ({
    font: 'Noto Sans CJK SC',
    size,
    angle: 0,
    noise,
    dark: false,
  });
  const frame = async (timestampMs: number, lines: string[], noise: number, size?: number) => ({
    timestampMs,
    image: await renderText(lines, style(noise, size), random),
  });
  // Given out of order on purpose: they are read in time order.
  keyframes = await Promise.all([
    frame(4000, [TITLE, STEP_TWO], 10),
    frame(0, [TITLE, STEP_ONE], 0),
    frame(2000, [TITLE, STEP_ONE], 12, 26),
    frame(6000, [STEP_TWO], 0),
  ]);
});

describe('OCR over video keyframes', { timeout: 60_000 }, () => {
  it('merges lines repeated across frames and keeps when each was on screen', async () => {
    const text = await readVideoText(reader(), keyframes);
    expect(text.frames).toBe(4);
    expect(
      text.lines.map(({ text: t, firstMs, lastMs, frames }) => ({ t, firstMs, lastMs, frames })),
    ).toEqual([
      { t: TITLE, firstMs: 0, lastMs: 4000, frames: 3 },
      { t: STEP_ONE, firstMs: 0, lastMs: 2000, frames: 2 },
      { t: STEP_TWO, firstMs: 4000, lastMs: 6000, frames: 2 },
    ]);
    for (const line of text.lines) expect(line.confidence).toBeGreaterThan(0.8);
  });

  it('treats readings that differ by an OCR slip as the same line, and different lines as different', () => {
    expect(
      similarity('Step 1: run the database migration', 'Step 1: run the databse migration'),
    ).toBeGreaterThan(0.9);
    expect(similarity('Step 1: run the migration', 'Step 2: restart the servers')).toBeLessThan(0.8);
  });

  it('gives no lines for no frames', async () => {
    expect(await readVideoText(reader(), [])).toEqual({ lines: [], frames: 0 });
  });
});
