/**
 * `npm run bench:limits`: rate-limit decisions per second on a local redis-server (started here),
 * 50 concurrent callers, teambot's limiter vs rate-limiter-flexible with the same limits, in
 * interleaved rounds. Prints one JSON line and writes its section of docs/benchmarks.md.
 */
import { cpus, loadavg } from 'node:os';
import {
  type BenchLimits,
  type Contender,
  flexibleContender,
  teambotContender,
} from './limits/contenders.js';
import { startRedisServer } from './limits/redis-server.js';
import { renderLimitsSection } from './limits/section.js';
import { writeNamedSection } from './ocr/section.js';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const CALLERS = 50;
const USERS = 200;
const PER_CALLER = quick ? 100 : 400;
const PAIRS = quick ? 2 : 5;
const LIMITS: BenchLimits = { perHour: 20, perDay: 300 };

export interface RoundResult {
  decisions: number;
  perSecond: number;
  allowed: number;
  /** Allowed beyond the limit, summed over users (must be 0). */
  wronglyAllowed: number;
  /** Users allowed fewer than the limit though they asked more often (should be 0). */
  underAllowedUsers: number;
}

async function round(contender: Contender): Promise<RoundResult> {
  const allowedBy = new Map<string, number>();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CALLERS }, async (_, caller) => {
      for (let i = 0; i < PER_CALLER; i += 1) {
        const user = `u${(caller + i * CALLERS) % USERS}`;
        if (await contender.decide(user)) allowedBy.set(user, (allowedBy.get(user) ?? 0) + 1);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const decisions = CALLERS * PER_CALLER;
  let allowed = 0;
  let wronglyAllowed = 0;
  let underAllowedUsers = 0;
  const asksPerUser = decisions / USERS;
  for (let u = 0; u < USERS; u += 1) {
    const n = allowedBy.get(`u${u}`) ?? 0;
    allowed += n;
    wronglyAllowed += Math.max(0, n - LIMITS.perHour);
    if (n < Math.min(LIMITS.perHour, asksPerUser)) underAllowedUsers += 1;
  }
  return { decisions, perSecond: decisions / seconds, allowed, wronglyAllowed, underAllowedUsers };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

async function main(): Promise<void> {
  const load = loadavg()[0] ?? 0;
  const redis = await startRedisServer();
  try {
    let n = 0;
    // A fresh key prefix per round, so each round starts from empty buckets.
    const fresh = (make: typeof teambotContender) => make(redis.url, `bench:${n++}:`, LIMITS);
    const t: RoundResult[] = [];
    const f: RoundResult[] = [];
    const run = async (make: typeof teambotContender, into?: RoundResult[]) => {
      const contender = fresh(make);
      const result = await round(contender);
      await contender.close();
      into?.push(result);
    };
    await run(teambotContender);
    await run(flexibleContender);
    for (let pair = 0; pair < PAIRS; pair += 1) {
      // Alternate who goes first, so neither always gets the warmer machine.
      if (pair % 2 === 0) {
        await run(teambotContender, t);
        await run(flexibleContender, f);
      } else {
        await run(flexibleContender, f);
        await run(teambotContender, t);
      }
    }
    const ratios = t.map((r, i) => r.perSecond / (f[i]?.perSecond ?? Number.NaN));
    const report = {
      bench: 'limits',
      date: new Date().toISOString(),
      callers: CALLERS,
      users: USERS,
      decisionsPerRound: CALLERS * PER_CALLER,
      pairs: PAIRS,
      limits: `${LIMITS.perHour}/hour + ${LIMITS.perDay}/day per user`,
      teambot: {
        decisionsPerS: Math.round(median(t.map((r) => r.perSecond))),
        wronglyAllowed: t.reduce((s, r) => s + r.wronglyAllowed, 0),
        underAllowedUsers: t.reduce((s, r) => s + r.underAllowedUsers, 0),
        allowedPerRound: t[0]?.allowed ?? 0,
      },
      flexible: {
        decisionsPerS: Math.round(median(f.map((r) => r.perSecond))),
        wronglyAllowed: f.reduce((s, r) => s + r.wronglyAllowed, 0),
        underAllowedUsers: f.reduce((s, r) => s + r.underAllowedUsers, 0),
        allowedPerRound: f[0]?.allowed ?? 0,
      },
      ratio: Math.round(median(ratios) * 100) / 100,
      pairRatios: ratios.map((r) => Math.round(r * 100) / 100),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        node: process.version,
        loadAvg1m: { start: load, end: loadavg()[0] ?? 0 },
      },
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
    if (!quick && !args.has('--no-docs')) {
      await writeNamedSection('docs/benchmarks.md', 'limits', renderLimitsSection(report));
    }
    if (report.teambot.wronglyAllowed > 0) process.exitCode = 1;
  } finally {
    await redis.stop('SIGTERM');
  }
}

export type LimitsReport = {
  date: string;
  callers: number;
  users: number;
  decisionsPerRound: number;
  pairs: number;
  limits: string;
  teambot: {
    decisionsPerS: number;
    wronglyAllowed: number;
    underAllowedUsers: number;
    allowedPerRound: number;
  };
  flexible: {
    decisionsPerS: number;
    wronglyAllowed: number;
    underAllowedUsers: number;
    allowedPerRound: number;
  };
  ratio: number;
  pairRatios: number[];
  machine: { cpus: number; cpuModel: string; node: string; loadAvg1m: { start: number; end: number } };
};

await main();
