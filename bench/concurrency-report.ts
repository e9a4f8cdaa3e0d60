/** Figures, ratios and targets of `bench:inference --concurrency`, and its docs/benchmarks.md section. */
import { type Chart, chartLinks, concurrencyCharts } from './charts.js';
import type { BenchDtype, BurstSample } from './protocol.js';

export const CONCURRENCY_START = '<!-- bench:inference-concurrency -->';
export const CONCURRENCY_END = '<!-- /bench:inference-concurrency -->';

/** All bursts one side ran at one concurrency level (every run serves the same requests). */
export interface LevelSamples {
  level: number;
  bursts: BurstSample[];
}

export interface LevelFigures {
  level: number;
  requests: number;
  /** Σ new tokens / Σ burst wall time. */
  aggregateTokPerS: number;
  ttftP50Ms: number;
  ttftP99Ms: number;
  /** teambot only: mean rows per decode step. */
  meanBatch?: number;
}

export interface StallFigures {
  staggerMs: number;
  requests: number;
  joins: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanBatch: number;
}

export interface ConcurrencyReport {
  bench: 'inference-concurrency';
  model: string;
  params: number;
  dtype: BenchDtype;
  threads: number;
  tokens: number;
  runs: number;
  /** teambot's PREFIX_CACHE_BYTES (0: off; the runs repeat their prompts, so on, they resume from it). */
  prefixCacheBytes?: number;
  levels: number[];
  teambot: { engine: string; levels: LevelFigures[] };
  peer: { engine: string; levels: LevelFigures[] };
  /** Per level: teambot / peer tok/s and peer / teambot p99 TTFT (above 1: teambot better). */
  ratio: { level: number; aggregateTokPerS: number; ttftP99: number }[];
  /** teambot's p99 TTFT at the top level over its p99 TTFT with one request at a time. */
  teambotTtftGrowth: number;
  stall: StallFigures;
  targets: { tokPerS5xPeerAtTop: boolean; ttftP99AtTopWithin3xSingle: boolean };
  errors: string[];
  machine: { cpus: number; cpuModel: string; node: string; loadAvg1m: { start: number; end: number } };
  date: string;
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export function levelFigures(samples: LevelSamples): LevelFigures {
  const requests = samples.bursts.flatMap((b) => b.requests);
  const tokens = requests.reduce((a, r) => a + r.newTokens, 0);
  const wall = samples.bursts.reduce((a, b) => a + b.wallMs, 0);
  const ttfts = requests.map((r) => r.ttftMs);
  const batches = samples.bursts.flatMap((b) => (b.meanBatch === undefined ? [] : [b.meanBatch]));
  return {
    level: samples.level,
    requests: requests.length,
    aggregateTokPerS: round((tokens / wall) * 1000),
    ttftP50Ms: round(percentile(ttfts, 50)),
    ttftP99Ms: round(percentile(ttfts, 99)),
    meanBatch:
      batches.length === 0 ? undefined : round(batches.reduce((a, b) => a + b, 0) / batches.length, 2),
  };
}

export function stallFigures(burst: BurstSample, staggerMs: number): StallFigures {
  const stalls = burst.stallsMs ?? [];
  return {
    staggerMs,
    requests: burst.requests.length,
    joins: stalls.length,
    p50Ms: round(percentile(stalls, 50)),
    p99Ms: round(percentile(stalls, 99)),
    maxMs: round(Math.max(0, ...stalls)),
    meanBatch: round(burst.meanBatch ?? 0, 2),
  };
}

const fmt = (value: number | undefined, digits = 1) =>
  value === undefined ? '' : Number.isFinite(value) ? value.toFixed(digits) : String(value);

/** The concurrency run's pictures: throughput and time to first token against concurrency. */
export function concurrencyChartsOf(report: ConcurrencyReport): Chart[] {
  return concurrencyCharts({
    date: report.date,
    peerName: 'transformers.js',
    teambot: report.teambot.levels,
    peer: report.peer.levels,
  });
}

export function renderConcurrencySection(report: ConcurrencyReport): string {
  const rows = report.levels.map((level) => {
    const t = report.teambot.levels.find((l) => l.level === level);
    const p = report.peer.levels.find((l) => l.level === level);
    const r = report.ratio.find((x) => x.level === level);
    return `| ${level} | ${fmt(t?.aggregateTokPerS)} | ${fmt(p?.aggregateTokPerS)} | ${fmt(r?.aggregateTokPerS, 2)}× | ${fmt(t?.ttftP50Ms, 0)} / ${fmt(t?.ttftP99Ms, 0)} | ${fmt(p?.ttftP50Ms, 0)} / ${fmt(p?.ttftP99Ms, 0)} | ${fmt(t?.meanBatch, 2)} |`;
  });
  const met = (ok: boolean) => (ok ? 'met' : '**missed**');
  const top = report.levels.at(-1) ?? 0;
  const s = report.stall;
  const m = report.machine;
  const problems =
    report.errors.length === 0
      ? 'Every request got the same token ids at every level, and the peer decoded the same ids as teambot.'
      : `**Problems:** ${report.errors.join('; ')}`;
  return `${CONCURRENCY_START}
## Inference under concurrency: continuous batching vs transformers.js

\`npm run bench:inference -- --concurrency ${report.levels.join(',')} --tokens ${report.tokens} --runs ${report.runs}${report.teambot.engine.includes('engine thread') ? ' --thread' : ''}\` serves the same ${(report.teambot.levels[0]?.requests ?? 0) / report.runs}
requests per run (bench/prompts.ts, cycled, each as its own chat user, greedy, ${report.tokens} new tokens) at each
concurrency level N: N requests start at once, and the next N when those have all ended. teambot runs them as
rows of its continuous-batching engine (BATCH_MAX_SIZE=${top}${report.teambot.engine.includes('engine thread') ? ', in its own worker thread as `teambot serve` runs it' : ''}); the peer, ${report.peer.engine}, gets one
\`generate()\` per request, all awaited concurrently on one model, as an app would call it. Same model files
(\`${report.model}\`, ${(report.params / 1e6).toFixed(1)}M parameters, ${report.dtype}), CPU,
${report.threads} onnxruntime threads per side, ${report.runs} run(s) per level, in one run of the script.
${prefixCacheNote(report)}

- Run: ${report.date}
- Machine: ${m.cpus} × ${m.cpuModel}, Node ${m.node}; 1-minute load average ${fmt(m.loadAvg1m.start, 2)} at the start, ${fmt(m.loadAvg1m.end, 2)} at the end

| concurrency | teambot tok/s | peer tok/s | ratio | teambot TTFT p50 / p99 (ms) | peer TTFT p50 / p99 (ms) | teambot rows per step |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}

${chartLinks(concurrencyChartsOf(report))}

Aggregate tok/s: all new tokens of a level over the summed wall time of its bursts. Time to first token: from
the start of the burst until the request's first new token was chosen (chat template and tokenization
included on both sides).

Targets at ${top}: aggregate tok/s ≥ 5× the peer's ${met(report.targets.tokPerS5xPeerAtTop)}
(${fmt(report.ratio.at(-1)?.aggregateTokPerS, 2)}×); p99 time to first token ≤ 3× the single-request one
${met(report.targets.ttftP99AtTopWithin3xSingle)} (${fmt(report.teambotTtftGrowth, 2)}×). ${problems}

**Join stall** (time the running rows wait while newcomers are prefilled and merged into the batch): with
${s.requests} requests arriving ${s.staggerMs} ms apart, ${s.joins} joins stalled the running rows by p50
${fmt(s.p50Ms)} ms, p99 ${fmt(s.p99Ms)} ms, max ${fmt(s.maxMs)} ms (mean ${fmt(s.meanBatch, 2)} rows per step).

How teambot gets there (see docs/inference.md, "Continuous batching" and "What a batch costs"): the
rows share every decode step's weight reads; each step fetches only its new key/value positions from
onnxruntime (onnxruntime-node copies every fetched output into JavaScript memory, the whole KV cache
if the presents were fetched); newcomers that share a long prefix compute it once, and the other
prompts are prefilled in groups cut by length. What limits it on this CPU: inside the graph
onnxruntime still concatenates past and new keys/values (about a third of a 16-row step), and prefill
is arithmetic a batch does not share, so when N requests arrive at once the last first token waits
for all N prompts. onnxruntime-node runs \`session.run\` on the JavaScript thread, so the peer's
concurrent \`generate()\` calls take turns: its throughput stays that of one stream.
${CONCURRENCY_END}`;
}

/** Whether teambot's prefix cache was on: the runs repeat their prompts, which it then resumes. */
function prefixCacheNote(report: ConcurrencyReport): string {
  return (report.prefixCacheBytes ?? 0) > 0
    ? 'teambot ran with its prefix cache on (`--prefix-cache`: PREFIX_CACHE_BYTES 1 GiB, as the server runs by ' +
        'default); every run repeats the same prompts, so after the warm-up each prompt resumes from its cached ' +
        'blocks and only its last partial block is prefilled (one pass for all rows).'
    : 'teambot ran without its prefix cache (PREFIX_CACHE_BYTES=0): every prompt is prefilled in full.';
}
