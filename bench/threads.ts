/**
 * `npm run bench:threads`: conversations of many turns whose history grows past 2,000 tokens; time to
 * first token per turn for teambot with its prefix cache, teambot without it, and transformers.js
 * (one generate() per turn on the whole conversation, as an app would call it). Same model files,
 * prompts and greedy answers: the answer history is teambot's without the cache, and the other
 * sides must decode the same ids. Each side runs in its own child process; turns go round-robin
 * over the conversations, the sides' order alternating. Prints one JSON line (progress on stderr)
 * and writes the `threads` section of docs/benchmarks.md.
 * Flags: --quick (2 conversations × 3 short turns, docs left alone), --conversations N, --turns N,
 * --sentences N (per user message), --tokens N (answer budget), --threads N, --no-thread, --no-docs.
 */
import { availableParallelism as cpuCount, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoSpec, ensureDemoModel, parameterCount } from '../src/inference/demo/index.js';
import { SideProcess } from './child.js';
import { writeNamedSection } from './ocr/section.js';
import {
  type ChatTurn,
  type CommonJob,
  type Finished,
  firstDifference,
  type PeerJob,
  progress,
  type TeambotJob,
  type TurnSample,
} from './protocol.js';
import { SYSTEM_PROMPT, userMessage } from './threads/conversations.js';
import { renderThreadsSection, type Side, type ThreadsReport, type TurnRow } from './threads/report.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

function options(argv: string[]) {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const quick = flags.has('--quick');
  const num = (name: string, fallback: number) => {
    const at = argv.indexOf(name);
    const value = at >= 0 ? Number(argv[at + 1]) : fallback;
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} takes a whole number of 1 or more`);
    return value;
  };
  return {
    conversations: num('--conversations', quick ? 2 : 8),
    turns: num('--turns', quick ? 3 : 10),
    sentences: num('--sentences', quick ? 3 : 4),
    tokens: num('--tokens', quick ? 8 : 16),
    threads: argv.includes('--threads') ? num('--threads', 0) : 0,
    thread: !flags.has('--no-thread'),
    writeDocs: !quick && !flags.has('--no-docs'),
  };
}

const SIDES: Side[] = ['cache', 'noCache', 'peer'];
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const loadAtStart = loadavg()[0] ?? 0;
  const modelDir = await ensureDemoModel({
    size: 'bench',
    cacheDir: join(repoRoot, '.cache', 'demo-models'),
    onProgress: (message) => progress(message),
  });
  const common: CommonJob = {
    modelDir,
    dtype: 'fp32',
    threads: opts.threads,
    tokens: opts.tokens,
    thread: opts.thread,
  };
  const teambot = (prefixCacheBytes: number): TeambotJob => ({
    ...common,
    groups: [],
    maxBatchSize: 8,
    prefixCacheBytes,
    contextLength: 4096,
  });
  const peer: PeerJob = { ...common, prompts: [] };
  const sides: Record<Side, SideProcess> = {
    noCache: new SideProcess(repoRoot, 'bench/teambot.ts', teambot(0)),
    cache: new SideProcess(repoRoot, 'bench/teambot.ts', teambot(1024 * 1024 * 1024)),
    peer: new SideProcess(repoRoot, 'bench/peer.ts', peer),
  };
  try {
    // One throwaway turn each: onnxruntime's first passes are slow.
    for (const side of SIDES) await sides[side].request<TurnSample>({ kind: 'turn', messages: warmUp() });
    const histories: ChatTurn[][] = Array.from({ length: opts.conversations }, () => [
      { role: 'system', content: SYSTEM_PROMPT },
    ]);
    const rows: TurnRow[] = [];
    const mismatches: Record<Side, number> = { cache: 0, noCache: 0, peer: 0 };
    let order = 0;
    for (let turn = 0; turn < opts.turns; turn++) {
      const samples: Record<Side, TurnSample[]> = { cache: [], noCache: [], peer: [] };
      for (const [c, history] of histories.entries()) {
        history.push({ role: 'user', content: userMessage(c, turn, opts.sentences) });
        // The side without the cache answers first: its answer is the conversation's history.
        const reference = await sides.noCache.request<TurnSample>({ kind: 'turn', messages: history });
        samples.noCache.push(reference);
        const others: Side[] = order++ % 2 === 0 ? ['cache', 'peer'] : ['peer', 'cache'];
        for (const side of others) {
          const sample = await sides[side].request<TurnSample>({ kind: 'turn', messages: history });
          samples[side].push(sample);
          if (firstDifference(sample.outputIds, reference.outputIds) >= 0) mismatches[side]++;
        }
        history.push({ role: 'assistant', content: reference.text });
      }
      const row: TurnRow = {
        turn: turn + 1,
        promptTokens: mean(samples.noCache.map((s) => s.promptTokens)),
        reusedTokens: mean(samples.cache.map((s) => s.reusedTokens ?? 0)),
        prefilledTokens: mean(samples.cache.map((s) => s.prefilledTokens ?? 0)),
        ttftMs: {
          cache: mean(samples.cache.map((s) => s.ttftMs)),
          noCache: mean(samples.noCache.map((s) => s.ttftMs)),
          peer: mean(samples.peer.map((s) => s.ttftMs)),
        },
      };
      rows.push(row);
      progress(
        `turn ${row.turn} (${row.promptTokens.toFixed(0)} tok, ${row.reusedTokens.toFixed(0)} cached): TTFT ` +
          SIDES.map((s) => `${s} ${row.ttftMs[s].toFixed(0)} ms`).join(', '),
      );
    }
    const finished = {} as Record<Side, Finished>;
    for (const side of SIDES) finished[side] = await sides[side].finish<Finished>();
    const last = rows.at(-1) as TurnRow;
    const ratio = {
      noCache: last.ttftMs.noCache / last.ttftMs.cache,
      peer: last.ttftMs.peer / last.ttftMs.cache,
    };
    const report: ThreadsReport = {
      bench: 'threads',
      model: 'teambot-demo-bench',
      params: parameterCount(demoSpec('bench', 'llama')),
      conversations: opts.conversations,
      turns: opts.turns,
      tokens: opts.tokens,
      thread: opts.thread,
      perTurn: rows,
      ratioAtLastTurn: ratio,
      targets: { lastTurnTtft5xNoCache: ratio.noCache >= 5, lastTurnTtft5xPeer: ratio.peer >= 5 },
      answersDiffering: {
        cache: mismatches.cache,
        peer: mismatches.peer,
        of: opts.conversations * opts.turns,
      },
      engines: { cache: finished.cache.engine, noCache: finished.noCache.engine, peer: finished.peer.engine },
      peakRssMiB: {
        cache: finished.cache.peakRssKb / 1024,
        noCache: finished.noCache.peakRssKb / 1024,
        peer: finished.peer.peakRssKb / 1024,
      },
      machine: {
        cpus: cpuCount(),
        cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
        node: process.version,
        loadAvg1m: { start: loadAtStart, end: loadavg()[0] ?? 0 },
      },
      date: new Date().toISOString(),
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
    if (opts.writeDocs) {
      await writeNamedSection(
        join(repoRoot, 'docs', 'benchmarks.md'),
        'threads',
        renderThreadsSection(report),
      );
      progress('wrote the threads section of docs/benchmarks.md');
    } else {
      progress('docs/benchmarks.md left alone (--quick or --no-docs)');
    }
    if (!report.targets.lastTurnTtft5xNoCache || !report.targets.lastTurnTtft5xPeer) {
      progress(
        `target missed: turn ${last.turn} TTFT is ${ratio.noCache.toFixed(2)}x lower than without the cache ` +
          `and ${ratio.peer.toFixed(2)}x lower than transformers.js (want >= 5 for both)`,
      );
    }
  } catch (error) {
    for (const side of SIDES) sides[side].kill();
    throw error;
  }
}

function warmUp(): ChatTurn[] {
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: userMessage(99, 0, 4) },
  ];
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:threads failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
