/**
 * `npm run bench:vision`: one picture and a question, time to first token and decode tok/s for
 * teambot and @huggingface/transformers on the same generated vision-language model and picture,
 * at 1 and 8 concurrent requests, in the same run (each side in its own child process, taking
 * turns). Prints one JSON line on stdout (progress on stderr) and writes its section of
 * docs/benchmarks.md (not with --quick unless --docs).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { type DemoArch, type DemoSize, ensureDemoModel, isDemoSize } from '../src/inference/demo/index.js';
import { readVisionConfig } from '../src/inference/vision/config.js';
import { prepareImage } from '../src/inference/vision/preprocess.js';
import { SideProcess } from './child.js';
import { writeNamedSection } from './ocr/section.js';
import { type BurstSample, type Finished, progress } from './protocol.js';
import {
  figuresOf,
  levelOf,
  medianFigures,
  renderVisionSection,
  type VisionLevel,
  type VisionReport,
} from './vision/figures.js';
import type { VisionFigures, VisionJob } from './vision/protocol.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const QUESTION = 'What is in this picture, and what colour is it mostly?';

const USAGE = `usage: npm run bench:vision -- [flags]
  --arch qwen3_5|qwen2_5_vl   generated model (default qwen3_5, the default model's family)
  --size bench|tiny           its size (default bench; tiny for a smoke run)
  --tokens N                  new tokens per request (default 32; --quick 8)
  --runs N                    timed bursts per level and side, medians reported (default 3; --quick 1)
  --levels L                  concurrent requests per level (default 1,8)
  --threads N                 onnxruntime intra-op threads for both sides (default: available CPUs)
  --dtype fp32|q4             model variant (default fp32)
  --quick                     smoke run (tiny, few tokens); leaves docs/benchmarks.md alone unless --docs
  --docs / --no-docs          write (or not) the docs/benchmarks.md section`;

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      arch: { type: 'string', default: 'qwen3_5' },
      size: { type: 'string' },
      tokens: { type: 'string' },
      runs: { type: 'string' },
      levels: { type: 'string', default: '1,8' },
      threads: { type: 'string' },
      dtype: { type: 'string', default: 'fp32' },
      quick: { type: 'boolean', default: false },
      docs: { type: 'boolean' },
      'no-docs': { type: 'boolean' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return undefined;
  const quick = values.quick === true;
  const int = (v: string | undefined, fallback: number, name: string) => {
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  const arch = values.arch as DemoArch;
  if (arch !== 'qwen3_5' && arch !== 'qwen2_5_vl') throw new Error('--arch must be qwen3_5 or qwen2_5_vl');
  const size = values.size ?? (quick ? 'tiny' : 'bench');
  if (!isDemoSize(size)) throw new Error('--size must be bench or tiny');
  const dtype = values.dtype;
  if (dtype !== 'fp32' && dtype !== 'q4') throw new Error('--dtype must be fp32 or q4');
  const levels = [...new Set(values.levels.split(',').map((s) => int(s.trim(), 1, 'levels')))].sort(
    (a, b) => a - b,
  );
  return {
    arch,
    size: size as DemoSize,
    tokens: int(values.tokens, quick ? 8 : 32, 'tokens'),
    runs: int(values.runs, quick ? 1 : 3, 'runs'),
    levels,
    threads: int(values.threads, availableParallelism(), 'threads'),
    dtype: dtype as 'fp32' | 'q4',
    writeDocs: values['no-docs'] === true ? false : (values.docs ?? !quick),
  };
}

/** A deterministic photo-like picture: smooth gradients and a few shapes. */
async function benchPicture(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 3;
      const inDisc = (x - width / 3) ** 2 + (y - height / 2) ** 2 < (height / 4) ** 2;
      pixels[at] = inDisc ? 220 : Math.round((255 * x) / width);
      pixels[at + 1] = inDisc ? 40 : Math.round((255 * y) / height);
      pixels[at + 2] = Math.round(128 + 100 * Math.sin((x + y) / 20));
    }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  if (opts === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  const dir = await ensureDemoModel({
    size: opts.size,
    arch: opts.arch,
    cacheDir: join(repoRoot, '.cache', 'demo-models'),
    onProgress: progress,
  });
  const work = await mkdtemp(join(tmpdir(), 'teambot-bench-vision-'));
  const [width, height] = [640, 480];
  const imagePath = join(work, 'picture.png');
  const picture = await benchPicture(width, height);
  await writeFile(imagePath, picture);
  const config = await readVisionConfig(dir);
  if (config === undefined) throw new Error(`${dir} has no vision encoder`);
  const visualTokens = (await prepareImage(picture, config.processing)).tokens;
  const job: VisionJob = {
    modelDir: dir,
    imagePath,
    tokens: opts.tokens,
    threads: opts.threads,
    dtype: opts.dtype,
    maxBatchSize: Math.max(...opts.levels),
  };
  const sides = {
    teambot: new SideProcess(repoRoot, 'bench/vision/teambot-side.ts', job),
    peer: new SideProcess(repoRoot, 'bench/vision/peer-side.ts', job),
  };
  const errors = new Set<string>();
  let promptTokens = 0;
  try {
    const burst = async (side: 'teambot' | 'peer', n: number) => {
      const prompts = Array.from({ length: n }, () => [{ role: 'user' as const, content: QUESTION }]);
      const sample = await sides[side].request<BurstSample & { promptTokens?: number }>({
        kind: 'burst',
        prompts,
      });
      if (sample.promptTokens !== undefined) promptTokens = sample.promptTokens;
      return sample;
    };
    for (const side of ['teambot', 'peer'] as const) await burst(side, 1);
    const levels: VisionLevel[] = [];
    let turn = 0;
    for (const n of opts.levels) {
      const runs: Record<'teambot' | 'peer', VisionFigures[]> = { teambot: [], peer: [] };
      for (let run = 0; run < opts.runs; run++) {
        const order = turn++ % 2 === 0 ? (['teambot', 'peer'] as const) : (['peer', 'teambot'] as const);
        const ids: Partial<Record<'teambot' | 'peer', number[][]>> = {};
        for (const side of order) {
          const sample = await burst(side, n);
          ids[side] = sample.requests.map((r) => r.outputIds);
          runs[side].push(figuresOf(sample, promptTokens));
        }
        if (JSON.stringify(ids.teambot) !== JSON.stringify(ids.peer)) {
          errors.add(`at ${n} concurrent the two sides decoded different ids`);
        }
        progress(
          `${n} concurrent, run ${run + 1}/${opts.runs}: TTFT teambot ${runs.teambot.at(-1)?.ttftMs.toFixed(0)} ms, ` +
            `peer ${runs.peer.at(-1)?.ttftMs.toFixed(0)} ms`,
        );
      }
      levels.push(levelOf(medianFigures(runs.teambot), medianFigures(runs.peer)));
    }
    await sides.teambot.finish<Finished>();
    const peerDone = await sides.peer.finish<Finished>();
    const report: VisionReport = {
      bench: 'vision',
      model: dir.split('/').at(-1) ?? dir,
      arch: opts.arch,
      image: { width, height, visualTokens },
      promptTokens,
      tokens: opts.tokens,
      runs: opts.runs,
      threads: opts.threads,
      dtype: opts.dtype,
      machine: `${cpus()[0]?.model ?? 'unknown CPU'} × ${availableParallelism()}`,
      peer: peerDone.engine,
      levels,
      sameTokens: errors.size === 0,
      errors: [...errors],
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
    if (opts.writeDocs) {
      await writeNamedSection(join(repoRoot, 'docs', 'benchmarks.md'), 'vision', renderVisionSection(report));
      progress('wrote the vision section of docs/benchmarks.md');
    } else {
      progress('docs/benchmarks.md left alone (--quick or --no-docs)');
    }
  } catch (error) {
    sides.teambot.kill();
    sides.peer.kill();
    throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
