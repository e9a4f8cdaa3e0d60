/** Turns the two sides' raw samples into the figures, ratios and targets the benchmark reports. */
import type { DemoArch } from '../src/inference/demo/index.js';
import type { BenchDtype, PromptResult, RunSample, SideResult } from './protocol.js';

/** The benchmark's JSON line. */
export interface BenchReport {
  bench: 'inference';
  model: string;
  /** The generated model's architecture (--arch). */
  layout: DemoArch;
  params: number;
  dtype: BenchDtype;
  threads: number;
  tokens: number;
  runs: number;
  warmup: number;
  prompts: { label: string; promptTokens: number; newTokens: number }[];
  teambot: SideFigures;
  peer: SideFigures;
  ratio: Ratios;
  targets: Targets;
  /** Problems that make the comparison unfair (e.g. the sides decoded different ids); empty when none. */
  errors: string[];
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    platform: string;
    arch: string;
    /** os.loadavg()[0] when the run started and when it ended: other processes' load. */
    loadAvg1m: { start: number; end: number };
  };
  date: string;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Rounds for the report: three significant decimals are more than the noise allows. */
function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const mean = (values: readonly number[]) => (values.length === 0 ? Number.NaN : sum(values) / values.length);

/** Decode tokens after the first (the first comes out of prefill) over the time after the first. */
function decodeSpan(s: RunSample): { tokens: number; ms: number } {
  return { tokens: Math.max(0, s.newTokens - 1), ms: s.totalMs - s.ttftMs };
}

export interface PromptFigures {
  label: string;
  promptTokens: number;
  newTokens: number;
  prefillTokPerS: number;
  decodeTokPerS: number;
  ttftMs: number;
  totalMs: number;
  decodeOverhead: number;
}

export interface SideFigures {
  engine: string;
  onnxruntime: string;
  /** Σ prompt tokens / Σ median prefill time over the prompts. */
  prefillTokPerS: number;
  /** Σ (new tokens - 1) / Σ median (total - time to first token) over the prompts. */
  decodeTokPerS: number;
  /** Mean over the prompts of the median time to first token. */
  ttftMs: number;
  /** Mean over the prompts of the median generation time (from token ids to the result). */
  totalMs: number;
  /** The same from chat messages (template and tokenization included). */
  wallMs: number;
  /** 1 - Σ median time in session.run during decode / Σ median decode time. */
  decodeOverhead: number;
  /** Mean over the prompts of the median CPU time of a generation (whole process, every thread). */
  cpuMs: number;
  loadMs: number;
  peakRssKb: number;
  peakRssMiB: number;
  prompts: PromptFigures[];
}

interface PromptMedians {
  prompt: PromptResult;
  prefillMs: number;
  decodeTokens: number;
  decodeSpanMs: number;
  ttftMs: number;
  totalMs: number;
  wallMs: number;
  decodeMs: number;
  decodeRunMs: number;
  cpuMs: number;
}

function promptMedians(prompt: PromptResult): PromptMedians {
  const pick = (f: (s: RunSample) => number) => median(prompt.samples.map(f));
  return {
    prompt,
    prefillMs: pick((s) => s.prefillMs),
    decodeTokens: pick((s) => decodeSpan(s).tokens),
    decodeSpanMs: pick((s) => decodeSpan(s).ms),
    ttftMs: pick((s) => s.ttftMs),
    totalMs: pick((s) => s.totalMs),
    wallMs: pick((s) => s.wallMs),
    decodeMs: pick((s) => s.decodeMs),
    decodeRunMs: pick((s) => s.decodeRunMs),
    cpuMs: pick((s) => s.cpuMs),
  };
}

export function sideFigures(side: SideResult): SideFigures {
  const medians = side.prompts.map(promptMedians);
  const prompts = medians.map(
    (m): PromptFigures => ({
      label: m.prompt.label,
      promptTokens: m.prompt.promptTokens,
      newTokens: median(m.prompt.samples.map((s) => s.newTokens)),
      prefillTokPerS: round((m.prompt.promptTokens / m.prefillMs) * 1000),
      decodeTokPerS: round((m.decodeTokens / m.decodeSpanMs) * 1000),
      ttftMs: round(m.ttftMs),
      totalMs: round(m.totalMs),
      decodeOverhead: round(1 - m.decodeRunMs / m.decodeMs, 3),
    }),
  );
  return {
    engine: side.engine,
    onnxruntime: side.onnxruntime,
    prefillTokPerS: round(
      (sum(medians.map((m) => m.prompt.promptTokens)) / sum(medians.map((m) => m.prefillMs))) * 1000,
    ),
    decodeTokPerS: round(
      (sum(medians.map((m) => m.decodeTokens)) / sum(medians.map((m) => m.decodeSpanMs))) * 1000,
    ),
    ttftMs: round(mean(medians.map((m) => m.ttftMs))),
    totalMs: round(mean(medians.map((m) => m.totalMs))),
    wallMs: round(mean(medians.map((m) => m.wallMs))),
    decodeOverhead: round(
      1 - sum(medians.map((m) => m.decodeRunMs)) / sum(medians.map((m) => m.decodeMs)),
      3,
    ),
    cpuMs: round(mean(medians.map((m) => m.cpuMs))),
    loadMs: round(side.loadMs, 0),
    peakRssKb: side.peakRssKb,
    peakRssMiB: round(side.peakRssKb / 1024),
    prompts,
  };
}

export interface Ratios {
  /** teambot / peer: > 1 means teambot decodes faster. */
  decodeTokPerS: number;
  /** teambot / peer: > 1 means teambot prefills faster. */
  prefillTokPerS: number;
  /** peer / teambot: > 1 means teambot's first token comes sooner. */
  ttft: number;
  /** peer / teambot: > 1 means teambot finishes sooner. */
  totalTime: number;
  /** teambot / peer: < 1 means teambot uses less memory. */
  peakRss: number;
  /**
   * Median over the back-to-back pairs (same prompt, same round) of teambot's decode tok/s over the
   * peer's: a cross-check of decodeTokPerS that load from other processes sways less.
   */
  decodePairedMedian: number;
  /** peer / teambot CPU time per generation: > 1 means teambot does less work for the same tokens. */
  cpu: number;
}

const decodeRate = (s: RunSample) => {
  const span = decodeSpan(s);
  return span.tokens / span.ms;
};

function pairedDecodeRatio(teambot: SideResult, peer: SideResult): number {
  const pairs: number[] = [];
  for (const [i, prompt] of teambot.prompts.entries()) {
    for (const [run, sample] of prompt.samples.entries()) {
      const other = peer.prompts[i]?.samples[run];
      if (other !== undefined) pairs.push(decodeRate(sample) / decodeRate(other));
    }
  }
  return median(pairs);
}

export function ratios(
  teambot: SideFigures,
  peer: SideFigures,
  raw: { teambot: SideResult; peer: SideResult },
): Ratios {
  return {
    decodeTokPerS: round(teambot.decodeTokPerS / peer.decodeTokPerS, 3),
    prefillTokPerS: round(teambot.prefillTokPerS / peer.prefillTokPerS, 3),
    ttft: round(peer.ttftMs / teambot.ttftMs, 3),
    totalTime: round(peer.totalMs / teambot.totalMs, 3),
    peakRss: round(teambot.peakRssKb / peer.peakRssKb, 3),
    decodePairedMedian: round(pairedDecodeRatio(raw.teambot, raw.peer), 3),
    cpu: round(peer.cpuMs / teambot.cpuMs, 3),
  };
}

export interface Targets {
  /** Decode ratio (teambot / peer) >= 1.0. */
  decodeRatioAtLeast1: boolean;
  /** teambot's time outside session.run during decode < 10%. */
  decodeOverheadBelow10pct: boolean;
}

export function targets(teambot: SideFigures, ratio: Ratios): Targets {
  return {
    decodeRatioAtLeast1: ratio.decodeTokPerS >= 1,
    decodeOverheadBelow10pct: teambot.decodeOverhead < 0.1,
  };
}

/** Lines for stderr about each missed target (empty when all are met). */
export function misses(teambot: SideFigures, ratio: Ratios, met: Targets): string[] {
  const out: string[] = [];
  if (!met.decodeRatioAtLeast1)
    out.push(`target missed: decode tok/s ratio teambot/peer is ${ratio.decodeTokPerS} (want >= 1.0)`);
  if (!met.decodeOverheadBelow10pct)
    out.push(`target missed: teambot decode overhead is ${teambot.decodeOverhead} (want < 0.10)`);
  return out;
}
