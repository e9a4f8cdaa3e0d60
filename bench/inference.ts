/**
 * `npm run bench:inference`: teambot's ONNX engine against @huggingface/transformers on the same
 * generated model files (single stream, CPU, greedy, same prompts and token budget, in one run).
 * Each side runs in its own child process (bench/teambot.ts, bench/peer.ts), so peak RSS is per
 * side; both stay up and take turns, one generation at a time.
 * Prints one JSON line on stdout (progress on stderr), rewrites its section of docs/benchmarks.md
 * and draws its curves as SVG files in docs/bench/.
 * Exits 0 when a target is missed (it is a report) and says so on stderr.
 */
import { availableParallelism as cpuCount, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoSpec, ensureDemoModel, parameterCount } from '../src/inference/demo/index.js';
import { CHART_DIR, type Chart, writeCharts } from './charts.js';
import { SideProcess } from './child.js';
import { measureConcurrency } from './concurrency.js';
import {
  CONCURRENCY_END,
  CONCURRENCY_START,
  type ConcurrencyReport,
  concurrencyChartsOf,
  renderConcurrencySection,
} from './concurrency-report.js';
import { inferenceCharts, renderSection, sectionMarkers, writeSection } from './markdown.js';
import { type BenchOptions, parseOptions, USAGE } from './options.js';
import { promptGroups } from './prompts.js';
import {
  type ChosenPrompt,
  type CommonJob,
  type Finished,
  type PeerJob,
  type PromptResult,
  progress,
  type RunSample,
  type Selected,
  type SideResult,
  type TeambotJob,
} from './protocol.js';
import { type BenchReport, misses, ratios, sideFigures, targets } from './report.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

interface Measured {
  chosen: ChosenPrompt[];
  teambot: SideResult;
  peer: SideResult;
}

function emptyResults(chosen: readonly ChosenPrompt[]): PromptResult[] {
  return chosen.map((c) => ({
    label: c.label,
    promptTokens: c.promptIds.length,
    newTokens: c.outputIds.length,
    samples: [],
  }));
}

/**
 * Both sides stay up and take turns, one generation at a time, the order alternating from one
 * generation to the next: a burst of load from another user of the machine hits both alike.
 */
async function measure(common: CommonJob, options: BenchOptions): Promise<Measured> {
  const teambotJob: TeambotJob = { ...common, groups: promptGroups(), maxBatchSize: 1 };
  const tb = new SideProcess(repoRoot, 'bench/teambot.ts', teambotJob);
  let peer: SideProcess | undefined;
  try {
    const { chosen } = await tb.request<Selected>({ kind: 'select' });
    const peerJob: PeerJob = { ...common, prompts: chosen };
    const pe = new SideProcess(repoRoot, 'bench/peer.ts', peerJob);
    peer = pe;
    // teambot's screening run was its first warm-up of each chosen prompt.
    for (const [prompt] of chosen.entries()) {
      for (let i = 1; i < options.warmup; i++) await tb.request<RunSample>({ kind: 'run', prompt });
      for (let i = 0; i < options.warmup; i++) await pe.request<RunSample>({ kind: 'run', prompt });
    }
    const results = { teambot: emptyResults(chosen), peer: emptyResults(chosen) };
    let turn = 0;
    for (let run = 0; run < options.runs; run++) {
      for (const [prompt, p] of chosen.entries()) {
        const order = turn++ % 2 === 0 ? (['teambot', 'peer'] as const) : (['peer', 'teambot'] as const);
        const line: string[] = [];
        for (const side of order) {
          const sample = await (side === 'teambot' ? tb : pe).request<RunSample>({ kind: 'run', prompt });
          results[side][prompt]?.samples.push(sample);
          line.push(`${side} ${sample.totalMs.toFixed(0)} ms`);
        }
        progress(`run ${run + 1}/${options.runs} ${p.label} (${p.promptIds.length} tok): ${line.join(', ')}`);
      }
    }
    const tbDone = await tb.finish<Finished>();
    const peerDone = await pe.finish<Finished>();
    return {
      chosen,
      teambot: { ...tbDone, prompts: results.teambot },
      peer: { ...peerDone, prompts: results.peer },
    };
  } catch (error) {
    tb.kill();
    peer?.kill();
    throw error;
  }
}

async function main(): Promise<void> {
  let options: BenchOptions | undefined;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (options === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  const loadAtStart = loadavg()[0] ?? 0;
  const modelDir = await ensureDemoModel({
    size: 'bench',
    arch: options.arch,
    cacheDir: join(repoRoot, '.cache', 'demo-models'),
    onProgress: (message) => progress(message),
  });
  progress(`model: ${modelDir}`);
  const common: CommonJob = {
    modelDir,
    dtype: options.dtype,
    threads: options.threads,
    tokens: options.tokens,
    thread: options.thread,
  };
  if (options.concurrency !== undefined) {
    await concurrencyMain(common, options, options.concurrency, loadAtStart);
    return;
  }
  const { chosen, teambot, peer } = await measure(common, options);

  const t = sideFigures(teambot);
  const p = sideFigures(peer);
  const ratio = ratios(t, p, { teambot, peer });
  const met = targets(t, ratio);
  const errors = [...teambot.errors.map((e) => `teambot: ${e}`), ...peer.errors.map((e) => `peer: ${e}`)];
  const report: BenchReport = {
    bench: 'inference',
    ...runFacts(options),
    warmup: options.warmup,
    prompts: chosen.map((c) => ({
      label: c.label,
      promptTokens: c.promptIds.length,
      newTokens: c.outputIds.length,
    })),
    teambot: t,
    peer: p,
    ratio,
    targets: met,
    errors,
    machine: { ...machineFacts(loadAtStart), platform: process.platform, arch: process.arch },
    date: new Date().toISOString(),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  await drawCharts(options, inferenceCharts(report));

  if (options.writeDocs) {
    const path = join(repoRoot, 'docs', 'benchmarks.md');
    await writeSection(path, renderSection(report), sectionMarkers(report.layout));
    progress(`wrote the bench:inference section of ${path}`);
  } else {
    progress('docs/benchmarks.md left alone (--quick or --no-docs)');
  }
  for (const line of misses(t, ratio, met)) progress(line);
  for (const line of errors) progress(`error: ${line}`);
}

/** The run's SVG charts: beside docs/benchmarks.md, or under .cache/ when the docs are left alone. */
async function drawCharts(options: BenchOptions, charts: Chart[]): Promise<void> {
  const dir = options.writeDocs ? join(repoRoot, 'docs') : join(repoRoot, '.cache', 'bench-charts');
  await writeCharts(dir, charts);
  progress(`drew ${charts.map((c) => c.file).join(', ')} in ${join(dir, CHART_DIR)}`);
}

/** What both reports say of the run: the model and the flags that shape it. */
function runFacts(options: BenchOptions) {
  return {
    model: options.arch === 'llama' ? 'teambot-demo-bench' : `teambot-demo-${options.arch}-bench`,
    layout: options.arch,
    params: parameterCount(demoSpec('bench', options.arch)),
    dtype: options.dtype,
    threads: options.threads,
    tokens: options.tokens,
    runs: options.runs,
    prefixCacheBytes: options.prefixCacheBytes,
  };
}

/** The machine the run had, with its 1-minute load average at the start and now. */
function machineFacts(loadAtStart: number) {
  return {
    cpus: cpuCount(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    loadAvg1m: { start: loadAtStart, end: loadavg()[0] ?? 0 },
  };
}

async function concurrencyMain(
  common: CommonJob,
  options: BenchOptions,
  levels: number[],
  loadAtStart: number,
): Promise<void> {
  const measured = await measureConcurrency(repoRoot, common, options, levels);
  const report: ConcurrencyReport = {
    bench: 'inference-concurrency',
    ...runFacts(options),
    levels,
    ...measured,
    machine: machineFacts(loadAtStart),
    date: new Date().toISOString(),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  await drawCharts(options, concurrencyChartsOf(report));
  if (options.writeDocs) {
    const path = join(repoRoot, 'docs', 'benchmarks.md');
    await writeSection(path, renderConcurrencySection(report), {
      start: CONCURRENCY_START,
      end: CONCURRENCY_END,
    });
    progress(`wrote the bench:inference-concurrency section of ${path}`);
  } else {
    progress('docs/benchmarks.md left alone (--quick or --no-docs)');
  }
  const top = levels.at(-1);
  if (!report.targets.tokPerS5xPeerAtTop) {
    progress(
      `target missed: aggregate tok/s at ${top} is ${report.ratio.at(-1)?.aggregateTokPerS}x the peer's (want >= 5)`,
    );
  }
  if (!report.targets.ttftP99AtTopWithin3xSingle) {
    progress(
      `target missed: p99 TTFT at ${top} is ${report.teambotTtftGrowth}x the single-request one (want <= 3)`,
    );
  }
  for (const line of report.errors) progress(`error: ${line}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:inference failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
