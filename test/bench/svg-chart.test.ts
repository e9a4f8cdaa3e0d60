import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ackCharts, chartLinks, concurrencyCharts, writeCharts } from '../../bench/charts.js';
import { niceTicks, renderLineChart } from '../../bench/svg-chart.js';

const level = (l: number, tok: number, p50: number, p99: number) => ({
  level: l,
  aggregateTokPerS: tok,
  ttftP50Ms: p50,
  ttftP99Ms: p99,
});

describe('the benchmarks SVG line chart', () => {
  it('picks round ticks that cover the data', () => {
    expect(niceTicks(510.7)).toEqual([0, 200, 400, 600]);
    expect(niceTicks(791)).toEqual([0, 200, 400, 600, 800]);
    expect(niceTicks(0.9)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  it('draws one polyline per series through its points, with escaped text, deterministically', () => {
    const chart = {
      title: 'A <b> & "c"',
      xLabel: 'x',
      yLabel: 'y',
      series: [
        {
          name: 'one',
          points: [
            [1, 10],
            [2, 20],
            [4, 40],
          ] as const,
        },
        {
          name: 'two',
          points: [
            [1, 5],
            [4, 0],
          ] as const,
        },
      ],
    };
    const svg = renderLineChart(chart);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('A &lt;b&gt; &amp; &quot;c&quot;');
    const polylines = [...svg.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map(
      (m) => m[1]?.split(' ') ?? [],
    );
    expect(polylines.map((p) => p.length)).toEqual([3, 2]);
    // y grows upwards: the point at 40 is drawn above the one at 10; x = 4 is the right edge.
    const [first, , last] = (polylines[0] ?? []).map((p) => p.split(',').map(Number));
    expect(last?.[1]).toBeLessThan(first?.[1] ?? 0);
    expect(last?.[0]).toBeGreaterThan(first?.[0] ?? 0);
    expect(renderLineChart(chart)).toBe(svg);
  });

  it('writes the concurrency charts under docs/bench and links them from the section', async () => {
    const charts = concurrencyCharts({
      date: '2026-12-02T17:22:33.551Z',
      peerName: 'peer',
      teambot: [level(1, 137, 26, 120), level(4, 327, 84, 243), level(16, 510, 254, 579)],
      peer: [level(1, 114, 31, 139), level(4, 121, 86, 320), level(16, 121, 202, 791)],
    });
    const dir = mkdtempSync(join(tmpdir(), 'teambot-charts-'));
    await writeCharts(dir, charts);
    const throughput = readFileSync(join(dir, 'bench', 'inference-concurrency-throughput.svg'), 'utf8');
    expect(throughput).toContain('Throughput against concurrency');
    expect(throughput).toContain('run 2026-12-02');
    expect(chartLinks(charts)).toBe(
      [
        '![Aggregate tokens per second against concurrency, teambot and the peer](bench/inference-concurrency-throughput.svg)',
        '![Time to first token (p50 and p99) against concurrency, teambot and the peer](bench/inference-concurrency-ttft.svg)',
      ].join('\n'),
    );
    const docs = readFileSync(new URL('../../docs/benchmarks.md', import.meta.url), 'utf8');
    for (const chart of charts) expect(docs).toContain(`(bench/${chart.file})`);
  });

  it('draws bench:ack as ack latency against the event rate, four lines over the rates', () => {
    const [chart] = ackCharts({
      date: '2026-12-07T10:00:00.000Z',
      rates: [
        { rate: 100, teambot: { p50: 3, p99: 12 }, bolt: { p50: 2, p99: 9 } },
        { rate: 300, teambot: { p50: 4, p99: 30 }, bolt: { p50: 3, p99: 21 } },
      ],
    });
    const svg = renderLineChart(chart?.chart ?? { title: '', xLabel: '', yLabel: '', series: [] });
    expect(chart?.file).toBe('ack-latency-by-rate.svg');
    expect([...svg.matchAll(/<polyline /g)]).toHaveLength(4);
    expect(svg).toContain('>300<');
    expect(svg).toContain('bare Bolt p99');
  });
});
