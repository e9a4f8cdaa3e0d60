/** Command-line flags of `npm run bench:inference`. */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { type DemoArch, isDemoArch } from '../src/inference/demo/index.js';
import type { BenchDtype } from './protocol.js';

export interface BenchOptions {
  tokens: number;
  runs: number;
  warmup: number;
  threads: number;
  dtype: BenchDtype;
  /** The generated model's architecture (bench size). */
  arch: DemoArch;
  quick: boolean;
  /** Write the docs/benchmarks.md section (off for --quick unless --docs is given). */
  writeDocs: boolean;
  /** Concurrency levels to measure (--concurrency 1,4,16); undefined: the single-stream benchmark. */
  concurrency?: number[];
  /** teambot's engine in its own thread (as `serve` runs it) rather than in the bench's process. */
  thread: boolean;
  /** PREFIX_CACHE_BYTES of teambot's engine: 0 unless --prefix-cache (then the server's default, 1 GiB). */
  prefixCacheBytes: number;
}

export const USAGE = `usage: npm run bench:inference -- [flags]
  --tokens N        new tokens per generation (default 64; --quick: 16)
  --runs N          timed runs per prompt and side, medians reported (default 3; --quick: 1)
  --warmup N        untimed runs per prompt and side first (default 1)
  --threads N       onnxruntime intra-op threads for both sides (default: available CPUs)
  --dtype fp32|q4   model variant (default fp32)
  --arch A          generated model: llama (default), lfm2, qwen3_5 (hybrids) or qwen2_5_vl (75M+ parameters)
  --concurrency L   e.g. 1,4,16: N chat users at once per level (continuous batching vs one
                    transformers.js generate() per request); its own docs/benchmarks.md section
  --thread          teambot's engine in its own worker thread, as \`teambot serve\` runs it
  --prefix-cache    teambot's prefix cache on (PREFIX_CACHE_BYTES 1 GiB, the server's default); the
                    runs repeat the same prompts, so after the warm-up they resume from the cache
  --quick           fast smoke run; does not touch docs/benchmarks.md unless --docs
  --docs / --no-docs  write (or not) the docs/benchmarks.md section`;

function count(value: string | undefined, fallback: number, name: string, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}`);
  return n;
}

function levels(value: string): number[] {
  const list = value.split(',').map((part) => Number(part.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1 || n > 256)) {
    throw new Error('--concurrency must be a comma-separated list of integers from 1 to 256, e.g. 1,4,16');
  }
  return [...new Set(list)].sort((a, b) => a - b);
}

/** Parses argv (without node and the script); returns undefined for --help. */
export function parseOptions(argv: string[]): BenchOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      tokens: { type: 'string' },
      runs: { type: 'string' },
      warmup: { type: 'string' },
      threads: { type: 'string' },
      dtype: { type: 'string' },
      arch: { type: 'string' },
      quick: { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      thread: { type: 'boolean', default: false },
      'prefix-cache': { type: 'boolean', default: false },
      docs: { type: 'boolean' },
      'no-docs': { type: 'boolean' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return undefined;
  const quick = values.quick === true;
  const dtype = values.dtype ?? 'fp32';
  if (dtype !== 'fp32' && dtype !== 'q4') throw new Error('--dtype must be fp32 or q4');
  const arch = values.arch ?? 'llama';
  if (!isDemoArch(arch)) throw new Error('--arch must be llama, lfm2, qwen3_5 or qwen2_5_vl');
  // Each architecture has its own single-stream section; --concurrency writes the Llama's only.
  const docs =
    values['no-docs'] === true
      ? false
      : (values.docs ?? (!quick && (arch === 'llama' || values.concurrency === undefined)));
  return {
    tokens: count(values.tokens, quick ? 16 : 64, 'tokens', 2),
    runs: count(values.runs, quick ? 1 : 3, 'runs', 1),
    warmup: count(values.warmup, 1, 'warmup', 1),
    threads: count(values.threads, availableParallelism(), 'threads', 1),
    dtype,
    arch,
    quick,
    writeDocs: docs,
    concurrency: values.concurrency === undefined ? undefined : levels(values.concurrency),
    thread: values.thread === true,
    prefixCacheBytes: values['prefix-cache'] === true ? 1024 * 1024 * 1024 : 0,
  };
}
