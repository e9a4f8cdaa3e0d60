import { describe, expect, it } from 'vitest';
import {
  figuresOf,
  levelOf,
  median,
  medianFigures,
  renderVisionSection,
} from '../../bench/vision/figures.js';

const request = (ttftMs: number, endMs: number, newTokens: number) => ({
  ttftMs,
  endMs,
  newTokens,
  outputIds: Array.from({ length: newTokens }, (_, i) => i),
});

describe('bench:vision figures', () => {
  it('TTFT is the mean, decode rate per stream counts tokens after the first, total over the wall', () => {
    const f = figuresOf({ requests: [request(100, 1100, 11), request(300, 800, 6)], wallMs: 1000 }, 50);
    expect(f.ttftMs).toBe(200);
    expect(f.decodeTokPerS).toBe((10 + 10) / 2);
    expect(f.totalTokPerS).toBe(17);
    expect(f.concurrency).toBe(2);
  });

  it('takes medians per figure and ratios that read > 1 when teambot is better', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    const base = figuresOf({ requests: [request(100, 1100, 11)], wallMs: 1100 }, 50);
    const m = medianFigures([base, { ...base, ttftMs: 50 }, { ...base, ttftMs: 70 }]);
    expect(m.ttftMs).toBe(70);
    const level = levelOf(
      { ...base, ttftMs: 50, decodeTokPerS: 20 },
      { ...base, ttftMs: 100, decodeTokPerS: 10 },
    );
    expect(level.ratios.ttft).toBe(2);
    expect(level.ratios.decode).toBe(2);
    const section = renderVisionSection({
      bench: 'vision',
      model: 'teambot-demo-qwen3_5-bench-s0-v5',
      arch: 'qwen3_5',
      image: { width: 640, height: 480, visualTokens: 54 },
      promptTokens: 112,
      tokens: 32,
      runs: 3,
      threads: 2,
      dtype: 'fp32',
      machine: 'test',
      peer: 'transformers.js',
      levels: [level],
      sameTokens: true,
      errors: [],
    });
    expect(section).toContain('| 1 | 50.0 | 100.0 | 2.00x | 20.0 | 10.0 | 2.00x |');
    expect(section).not.toContain('Smoke run');
  });
});
