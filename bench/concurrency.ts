/**
 * `bench:inference --concurrency 1,4,16`: the same requests served at each concurrency level by
 * teambot (continuous batching) and by the peer (one generate() per request, concurrently), both
 * sides up in their own processes and taking turns, in one run.
 */
import { SideProcess } from './child.js';
import {
  type ConcurrencyReport,
  type LevelFigures,
  type LevelSamples,
  levelFigures,
  stallFigures,
} from './concurrency-report.js';
import type { BenchOptions } from './options.js';
import { promptGroups } from './prompts.js';
import {
  type BurstSample,
  type ChatTurn,
  type CommonJob,
  type Finished,
  firstDifference,
  type PeerJob,
  progress,
  type TeambotJob,
} from './protocol.js';

/** Arrival interval of the stall measurement: newcomers keep joining a batch that is decoding. */
export const STALL_STAGGER_MS = 40;

export type ConcurrencyMeasured = Pick<
  ConcurrencyReport,
  'teambot' | 'peer' | 'ratio' | 'teambotTtftGrowth' | 'stall' | 'targets' | 'errors'
>;

/** Every prompt of bench/prompts.ts, cycled to `count` requests. */
function requestPrompts(count: number): ChatTurn[][] {
  const all = promptGroups().flatMap((g) => g.candidates);
  return Array.from({ length: count }, (_, i) => all[i % all.length] as ChatTurn[]);
}

/** One run of a level: the requests in groups of `level`, each group started at once. */
async function runLevel(side: SideProcess, prompts: ChatTurn[][], level: number): Promise<BurstSample[]> {
  const bursts: BurstSample[] = [];
  for (let start = 0; start < prompts.length; start += level) {
    bursts.push(
      await side.request<BurstSample>({ kind: 'burst', prompts: prompts.slice(start, start + level) }),
    );
  }
  return bursts;
}

/** Output ids per request index, from one level's bursts (in request order). */
function outputs(bursts: readonly BurstSample[]): number[][] {
  return bursts.flatMap((b) => b.requests.map((r) => r.outputIds));
}

export async function measureConcurrency(
  repoRoot: string,
  common: CommonJob,
  options: BenchOptions,
  levels: number[],
): Promise<ConcurrencyMeasured> {
  const top = levels.at(-1) ?? 1;
  const prompts = requestPrompts(top);
  const teambotJob: TeambotJob = {
    ...common,
    groups: promptGroups(),
    maxBatchSize: top,
    prefixCacheBytes: options.prefixCacheBytes,
  };
  const tb = new SideProcess(repoRoot, 'bench/teambot.ts', teambotJob);
  const peerJob: PeerJob = { ...common, prompts: [] };
  const pe = new SideProcess(repoRoot, 'bench/peer.ts', peerJob);
  const errors = new Set<string>();
  try {
    for (let i = 0; i < options.warmup; i++) {
      progress(`warm-up ${i + 1}/${options.warmup}`);
      await runLevel(tb, prompts, top);
      await runLevel(pe, prompts, top);
    }
    const samples = {
      teambot: levels.map((level): LevelSamples => ({ level, bursts: [] })),
      peer: levels.map((level): LevelSamples => ({ level, bursts: [] })),
    };
    let reference: number[][] | undefined;
    let turn = 0;
    for (let run = 0; run < options.runs; run++) {
      for (const [li, level] of levels.entries()) {
        const order = turn++ % 2 === 0 ? (['teambot', 'peer'] as const) : (['peer', 'teambot'] as const);
        const line: string[] = [];
        for (const name of order) {
          const bursts = await runLevel(name === 'teambot' ? tb : pe, prompts, level);
          samples[name][li]?.bursts.push(...bursts);
          const ids = outputs(bursts);
          reference ??= name === 'teambot' ? ids : undefined;
          if (reference !== undefined) {
            const differ = ids.filter((got, i) => firstDifference(got, reference?.[i] ?? []) >= 0).length;
            if (differ > 0) {
              errors.add(
                name === 'teambot'
                  ? `teambot at concurrency ${level}: ${differ} request(s) decoded other ids than at concurrency ${levels[0]}`
                  : `peer at concurrency ${level}: ${differ} request(s) decoded other ids than teambot`,
              );
            }
          }
          const wall = bursts.reduce((a, b) => a + b.wallMs, 0);
          line.push(`${name} ${wall.toFixed(0)} ms`);
        }
        progress(`run ${run + 1}/${options.runs} concurrency ${level}: ${line.join(', ')}`);
      }
    }
    const staggered = await tb.request<BurstSample>({
      kind: 'burst',
      prompts,
      staggerMs: STALL_STAGGER_MS,
    });
    const tbDone = await tb.finish<Finished>();
    const peDone = await pe.finish<Finished>();
    for (const e of tbDone.errors) errors.add(`teambot: ${e}`);
    for (const e of peDone.errors) errors.add(`peer: ${e}`);
    const t = samples.teambot.map(levelFigures);
    const p = samples.peer.map(levelFigures);
    const ratio = levels.map((level, i) => ({
      level,
      aggregateTokPerS: round3(
        (t[i] as LevelFigures).aggregateTokPerS / (p[i] as LevelFigures).aggregateTokPerS,
      ),
      ttftP99: round3((p[i] as LevelFigures).ttftP99Ms / (t[i] as LevelFigures).ttftP99Ms),
    }));
    const single = t[0] as LevelFigures;
    const last = t.at(-1) as LevelFigures;
    const growth = round3(last.ttftP99Ms / single.ttftP99Ms);
    return {
      teambot: { engine: tbDone.engine, levels: t },
      peer: { engine: peDone.engine, levels: p },
      ratio,
      teambotTtftGrowth: growth,
      stall: stallFigures(staggered, STALL_STAGGER_MS),
      targets: {
        tokPerS5xPeerAtTop: (ratio.at(-1)?.aggregateTokPerS ?? 0) >= 5,
        ttftP99AtTopWithin3xSingle: levels[0] === 1 && growth <= 3,
      },
      errors: [...errors],
    };
  } catch (error) {
    tb.kill();
    pe.kill();
    throw error;
  }
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
