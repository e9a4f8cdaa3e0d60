/** The benchmark docs' pictures: which curves each bench draws, written beside docs/benchmarks.md. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type LineChart, renderLineChart, type Series } from './svg-chart.js';

/** Where the SVGs go, relative to docs/ (and how docs/benchmarks.md links them). */
export const CHART_DIR = 'bench';

export interface Chart {
  /** File name under docs/bench/. */
  file: string;
  alt: string;
  chart: LineChart;
}

/** One side's figures at one concurrency level (what bench:inference --concurrency reports). */
export interface LevelPoint {
  level: number;
  aggregateTokPerS: number;
  ttftP50Ms: number;
  ttftP99Ms: number;
}

export interface ConcurrencyFigures {
  date: string;
  peerName: string;
  teambot: readonly LevelPoint[];
  peer: readonly LevelPoint[];
}

type Points = Series['points'];

/** Each contender's p99 line first (the one alerts and targets watch), then the p50 lines. */
function percentileLines(contenders: ReadonlyArray<{ name: string; p99: Points; p50: Points }>): Series[] {
  return [
    ...contenders.map((c) => ({ name: `${c.name} p99`, points: c.p99 })),
    ...contenders.map((c) => ({ name: `${c.name} p50`, points: c.p50 })),
  ];
}

const points = (levels: readonly LevelPoint[], pick: (l: LevelPoint) => number) =>
  levels.map((l) => [l.level, pick(l)] as const);

export function concurrencyCharts(f: ConcurrencyFigures): Chart[] {
  const note = `bench:inference --concurrency, run ${f.date.slice(0, 10)}`;
  return [
    {
      file: 'inference-concurrency-throughput.svg',
      alt: 'Aggregate tokens per second against concurrency, teambot and the peer',
      chart: {
        title: 'Throughput against concurrency',
        note,
        xLabel: 'concurrent requests',
        yLabel: 'aggregate tokens/s',
        evenX: true,
        series: [
          { name: 'teambot', points: points(f.teambot, (l) => l.aggregateTokPerS) },
          { name: f.peerName, points: points(f.peer, (l) => l.aggregateTokPerS) },
        ],
      },
    },
    {
      file: 'inference-concurrency-ttft.svg',
      alt: 'Time to first token (p50 and p99) against concurrency, teambot and the peer',
      chart: {
        title: 'Time to first token against concurrency',
        note,
        xLabel: 'concurrent requests',
        yLabel: 'time to first token (ms)',
        evenX: true,
        series: percentileLines([
          {
            name: 'teambot',
            p99: points(f.teambot, (l) => l.ttftP99Ms),
            p50: points(f.teambot, (l) => l.ttftP50Ms),
          },
          {
            name: f.peerName,
            p99: points(f.peer, (l) => l.ttftP99Ms),
            p50: points(f.peer, (l) => l.ttftP50Ms),
          },
        ]),
      },
    },
  ];
}

/** One side's time to first token per prompt (what bench:inference reports per prompt). */
export interface PromptPoint {
  promptTokens: number;
  ttftMs: number;
}

export function promptCharts(f: {
  date: string;
  peerName: string;
  teambot: readonly PromptPoint[];
  peer: readonly PromptPoint[];
}): Chart[] {
  const line = (prompts: readonly PromptPoint[]) =>
    [...prompts]
      .sort((a, b) => a.promptTokens - b.promptTokens)
      .map((p) => [p.promptTokens, p.ttftMs] as const);
  return [
    {
      file: 'inference-ttft-by-prompt.svg',
      alt: 'Time to first token against prompt length, teambot and the peer',
      chart: {
        title: 'Time to first token against prompt length (single stream)',
        note: `bench:inference, run ${f.date.slice(0, 10)}`,
        xLabel: 'prompt tokens',
        yLabel: 'time to first token (ms, median)',
        series: [
          { name: 'teambot', points: line(f.teambot) },
          { name: f.peerName, points: line(f.peer) },
        ],
      },
    },
  ];
}

/** Ack latency of both contenders at one event rate (what bench:ack reports). */
export interface AckPoint {
  rate: number;
  teambot: { p50: number; p99: number };
  bolt: { p50: number; p99: number };
}

export function ackCharts(f: { date: string; rates: readonly AckPoint[] }): Chart[] {
  const line = (pick: (p: AckPoint) => number) => f.rates.map((p) => [p.rate, pick(p)] as const);
  return [
    {
      file: 'ack-latency-by-rate.svg',
      alt: 'Slack ack latency (p50 and p99) against the event rate, teambot and a bare Bolt app',
      chart: {
        title: 'Slack ack latency against event rate',
        note: `bench:ack, run ${f.date.slice(0, 10)}`,
        xLabel: 'events per second',
        yLabel: 'time to the HTTP answer (ms)',
        evenX: true,
        series: percentileLines([
          { name: 'teambot', p99: line((p) => p.teambot.p99), p50: line((p) => p.teambot.p50) },
          { name: 'bare Bolt', p99: line((p) => p.bolt.p99), p50: line((p) => p.bolt.p50) },
        ]),
      },
    },
  ];
}

/** Writes the charts under docs/bench/. */
export async function writeCharts(docsDir: string, charts: readonly Chart[]): Promise<void> {
  await mkdir(join(docsDir, CHART_DIR), { recursive: true });
  for (const c of charts) await writeFile(join(docsDir, CHART_DIR, c.file), renderLineChart(c.chart));
}

/** Markdown image links to the charts, for the bench's docs section. */
export function chartLinks(charts: readonly Chart[]): string {
  return charts.map((c) => `![${c.alt}](${CHART_DIR}/${c.file})`).join('\n');
}
