/** The benchmark's own section of docs/benchmarks.md, between markers; the rest of the file is kept. */
import { readFile, writeFile } from 'node:fs/promises';
import type { DemoArch } from '../src/inference/demo/index.js';
import { type Chart, chartLinks, promptCharts } from './charts.js';
import type { BenchReport } from './report.js';

export const SECTION_START = '<!-- bench:inference -->';
export const SECTION_END = '<!-- /bench:inference -->';

/** The single-stream section of an architecture: the Llama's is the plain one. */
export function sectionMarkers(layout: DemoArch): { start: string; end: string } {
  if (layout === 'llama') return { start: SECTION_START, end: SECTION_END };
  return { start: `<!-- bench:inference-${layout} -->`, end: `<!-- /bench:inference-${layout} -->` };
}

const LAYOUT_WORDS: Record<DemoArch, string> = {
  llama: 'Llama layout, `onnx/model*.onnx`',
  lfm2: 'LFM2 hybrid: short convolutions and attention, `onnx/model*.onnx`',
  qwen3_5:
    'Qwen3.5 hybrid: Gated DeltaNet and attention, `onnx/embed_tokens*.onnx` + `onnx/decoder_model_merged*.onnx`',
  qwen2_5_vl:
    'Qwen2.5-VL decoder (text only here): `onnx/embed_tokens*.onnx` + `onnx/decoder_model_merged*.onnx`',
};

const INTRO = `# Benchmarks

Measurements of teambot's inference engine. Each section below is written by the script it names;
edit outside the \`<!-- bench:... -->\` markers, as the scripts replace what is between them.
`;

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : String(value));
const times = (value: number) => `${fmt(value, 2)}×`;

function table(report: BenchReport): string {
  const { teambot: t, peer: p, ratio: r } = report;
  const rows: string[][] = [
    ['decode tok/s (single stream)', fmt(t.decodeTokPerS), fmt(p.decodeTokPerS), times(r.decodeTokPerS)],
    ['decode tok/s ratio, median of back-to-back pairs', '', '', times(r.decodePairedMedian)],
    ['prefill tok/s', fmt(t.prefillTokPerS), fmt(p.prefillTokPerS), times(r.prefillTokPerS)],
    ['time to first token (ms, mean over prompts)', fmt(t.ttftMs), fmt(p.ttftMs), times(r.ttft)],
    ['total per generation (ms, mean over prompts)', fmt(t.totalMs), fmt(p.totalMs), times(r.totalTime)],
    ['peak RSS (MiB)', fmt(t.peakRssMiB), fmt(p.peakRssMiB), times(r.peakRss)],
    [
      'CPU time per generation (ms, all threads, mean over prompts)',
      fmt(t.cpuMs),
      fmt(p.cpuMs),
      times(r.cpu),
    ],
    ['decode time outside session.run (%)', fmt(t.decodeOverhead * 100), fmt(p.decodeOverhead * 100), ''],
    ['model load (ms)', fmt(t.loadMs, 0), fmt(p.loadMs, 0), ''],
  ];
  for (const [i, tp] of t.prompts.entries()) {
    const pp = p.prompts[i];
    if (pp === undefined) continue;
    const label = `${tp.label} prompt (${tp.promptTokens} tok)`;
    rows.push([
      `${label}: decode tok/s`,
      fmt(tp.decodeTokPerS),
      fmt(pp.decodeTokPerS),
      times(tp.decodeTokPerS / pp.decodeTokPerS),
    ]);
    rows.push([`${label}: TTFT (ms)`, fmt(tp.ttftMs), fmt(pp.ttftMs), times(pp.ttftMs / tp.ttftMs)]);
  }
  return [
    '| metric | teambot | transformers.js | ratio |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n');
}

/** The single-stream run's picture: time to first token against prompt length, both sides. */
export function inferenceCharts(report: BenchReport): Chart[] {
  const side = (figures: BenchReport['teambot']) =>
    figures.prompts.map((p) => ({ promptTokens: p.promptTokens, ttftMs: p.ttftMs }));
  const charts = promptCharts({
    date: report.date,
    peerName: 'transformers.js',
    teambot: side(report.teambot),
    peer: side(report.peer),
  });
  // Each architecture's section has its own picture beside the Llama's.
  if (report.layout === 'llama') return charts;
  return charts.map((c) => ({ ...c, file: c.file.replace(/^inference-/, `inference-${report.layout}-`) }));
}

export function renderSection(report: BenchReport): string {
  const m = report.machine;
  const met = (ok: boolean) => (ok ? 'met' : '**missed**');
  const suffix = report.dtype === 'fp32' ? '' : `_${report.dtype}`;
  const file =
    report.layout === 'qwen3_5'
      ? `onnx/embed_tokens${suffix}.onnx + onnx/decoder_model_merged${suffix}.onnx`
      : `onnx/model${suffix}.onnx`;
  const { start, end } = sectionMarkers(report.layout);
  const command = report.layout === 'llama' ? '' : ` -- --arch ${report.layout}`;
  const problems =
    report.errors.length === 0
      ? 'Both sides decoded the same token ids for every prompt.'
      : `**Problems:** ${report.errors.join('; ')}`;
  const load = `${fmt(m.loadAvg1m.start, 2)} at the start, ${fmt(m.loadAvg1m.end, 2)} at the end`;
  return `${start}
## Inference${report.layout === 'llama' ? '' : ` (${report.layout})`}: teambot vs transformers.js

\`npm run bench:inference${command}\` generates the seeded demo model \`${report.model}\`
(${(report.params / 1e6).toFixed(1)}M parameters, ${LAYOUT_WORDS[report.layout]}, in \`.cache/demo-models\`) and runs the same
prompts through teambot's engine and through ${report.peer.engine}, each in its own Node process, on the
CPU with greedy decoding. It prints one JSON line with all figures on stdout and rewrites this section.
Flags: \`--tokens N\`, \`--runs N\`, \`--warmup N\`, \`--threads N\`, \`--dtype fp32|q4\`, \`--quick\` (smoke
run; leaves this file alone), \`--no-docs\`.

- Run: ${report.date}
- Model file: \`${file}\` (dtype ${report.dtype}), ${report.threads} onnxruntime threads per side
- ${report.tokens} new tokens per generation; ${report.warmup} warm-up and ${report.runs} timed runs per prompt and side
- Machine: ${m.cpus} × ${m.cpuModel}, ${m.platform}/${m.arch}, Node ${m.node}, onnxruntime-node ${report.teambot.onnxruntime};
  1-minute load average ${load}

Ratios: tok/s teambot/peer; times and CPU time peer/teambot (above 1: teambot faster, or less work);
RSS teambot/peer (below 1: teambot smaller).

${table(report)}

${chartLinks(inferenceCharts(report))}

Targets: decode ratio ≥ 1.0 ${met(report.targets.decodeRatioAtLeast1)}; teambot's decode time outside
\`session.run\` < 10% ${met(report.targets.decodeOverheadBelow10pct)}. ${problems}

Notes:
- Both sides load the same model file with the same onnxruntime-node build, session options that give the
  same optimized graph, and the same thread count: the differences are the engines' own work around
  \`session.run\` (feeds, KV cache, logits, sampling, detokenizing, streaming) and how that work shares the
  CPU with onnxruntime's threads.
- Prompts: three length classes (short, medium, ~200 tokens with a system message) through the model's chat
  template; per class the first fixed prompt whose greedy answer runs the full token budget without EOS.
  The peer must produce the identical ids; this is checked on every run.
- Both sides stay up and take turns, one generation each, alternating who goes first, so load from other
  processes falls on both alike.
- Times start when the prompt's token ids are ready. Prefill ends when the prompt's logits are ready; decode
  tok/s is (new tokens − 1) / (end − first token). Overall rows: summed tokens over summed per-prompt median
  times; times are means of the per-prompt medians.
- Peak RSS is \`process.resourceUsage().maxRSS\` at the end of each side's own process (model, tokenizer,
  runtime and all runs).
- On a small shared machine absolute numbers move a lot from run to run, and step times are often bimodal
  (onnxruntime's spinning worker threads compete with other processes for the cores). Read the ratios, and
  the paired-median decode ratio before the others. The CPU-time row counts the work each side's
  process did per generation (every thread, spinning included); other processes' load sways it far
  less than the times.
${end}`;
}

/** Replaces the section in `path` (or appends it; creates the file with an intro if missing). */
export async function writeSection(
  path: string,
  section: string,
  markers: { start: string; end: string } = { start: SECTION_START, end: SECTION_END },
): Promise<void> {
  let current: string;
  try {
    current = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    current = INTRO;
  }
  const start = current.indexOf(markers.start);
  const end = current.indexOf(markers.end, start);
  let next: string;
  if (start >= 0 && end >= 0) {
    next = current.slice(0, start) + section + current.slice(end + markers.end.length);
  } else {
    next = `${current.replace(/\s*$/, '')}\n\n${section}\n`;
  }
  await writeFile(path, next);
}
