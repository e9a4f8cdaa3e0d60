/** Figures of bench:vision from the sides' bursts, and its docs/benchmarks.md section. */
import type { BurstSample } from '../protocol.js';
import type { VisionFigures } from './protocol.js';

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function figuresOf(sample: BurstSample, promptTokens: number): VisionFigures {
  const rates = sample.requests
    .filter((r) => r.newTokens > 1 && r.endMs > r.ttftMs)
    .map((r) => ((r.newTokens - 1) * 1000) / (r.endMs - r.ttftMs));
  const newTokens = sample.requests.reduce((sum, r) => sum + r.newTokens, 0);
  return {
    concurrency: sample.requests.length,
    ttftMs: mean(sample.requests.map((r) => r.ttftMs)),
    decodeTokPerS: mean(rates),
    totalTokPerS: (newTokens * 1000) / sample.wallMs,
    newTokens,
    promptTokens,
  };
}

/** Per figure, the median over runs. */
export function medianFigures(runs: readonly VisionFigures[]): VisionFigures {
  const first = runs[0] as VisionFigures;
  return {
    ...first,
    ttftMs: median(runs.map((r) => r.ttftMs)),
    decodeTokPerS: median(runs.map((r) => r.decodeTokPerS)),
    totalTokPerS: median(runs.map((r) => r.totalTokPerS)),
  };
}

export interface VisionLevel {
  concurrency: number;
  teambot: VisionFigures;
  peer: VisionFigures;
  /** > 1: teambot better (TTFT: peer / teambot; rates: teambot / peer). */
  ratios: { ttft: number; decode: number; total: number };
}

export function levelOf(teambot: VisionFigures, peer: VisionFigures): VisionLevel {
  return {
    concurrency: teambot.concurrency,
    teambot,
    peer,
    ratios: {
      ttft: peer.ttftMs / teambot.ttftMs,
      decode: teambot.decodeTokPerS / peer.decodeTokPerS,
      total: teambot.totalTokPerS / peer.totalTokPerS,
    },
  };
}

export interface VisionReport {
  bench: 'vision';
  model: string;
  arch: string;
  image: { width: number; height: number; visualTokens: number };
  promptTokens: number;
  tokens: number;
  runs: number;
  threads: number;
  dtype: string;
  machine: string;
  peer: string;
  levels: VisionLevel[];
  /** Whether both sides decoded the same greedy ids for every request. */
  sameTokens: boolean;
  errors: string[];
}

const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);

export function renderVisionSection(r: VisionReport): string {
  const rows = r.levels.map(
    (l) =>
      `| ${l.concurrency} | ${f1(l.teambot.ttftMs)} | ${f1(l.peer.ttftMs)} | ${f2(l.ratios.ttft)}x | ` +
      `${f1(l.teambot.decodeTokPerS)} | ${f1(l.peer.decodeTokPerS)} | ${f2(l.ratios.decode)}x | ` +
      `${f1(l.teambot.totalTokPerS)} | ${f1(l.peer.totalTokPerS)} | ${f2(l.ratios.total)}x |`,
  );
  return [
    '## vision (`npm run bench:vision`)',
    '',
    `One picture (${r.image.width}×${r.image.height}, ${r.image.visualTokens} visual tokens) and a question ` +
      `(${r.promptTokens} prompt tokens), ${r.tokens} new tokens, greedy, on the generated ${r.arch} ` +
      `(\`${r.model}\`, ${r.dtype}, with its vision encoder), ${r.threads} threads, ${r.machine}. ` +
      `teambot (its continuous batcher, vision rows prefilled alone and decoded together) against ${r.peer} ` +
      '(its processor, then one `generate()` per request, all awaited at once), each in its own process, ' +
      `in the same run; medians of ${r.runs} runs. Both preprocess the picture inside the timed request.`,
    '',
    '| concurrent | TTFT ms teambot | TTFT ms peer | ratio | decode tok/s per stream teambot | peer | ratio | total tok/s teambot | peer | ratio |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Same greedy tokens on both sides: ${r.sameTokens ? 'yes' : 'no'}.` +
      (r.errors.length > 0 ? ` Problems: ${r.errors.join('; ')}.` : ''),
    ...(r.model.includes('-tiny-')
      ? [
          '',
          '**Smoke run** (the tiny model, on a shared, busy machine): it shows the benchmark works, not ' +
            'how fast either side is. Run `npm run bench:vision` (bench size) on a quiet machine for figures.',
        ]
      : []),
  ].join('\n');
}
