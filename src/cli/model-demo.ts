import { Command, Option } from 'commander';
import {
  DEFAULT_DEMO_SEED,
  DEMO_ARCHS,
  type DemoArch,
  type DemoSize,
  demoSpec,
  parameterCount,
  writeDemoModel,
} from '../inference/demo/index.js';
import { formatBytes } from '../inference/hub/format-bytes.js';
import { errorMessage } from '../util/error-message.js';
import type { ModelCommandIo } from './model-command.js';

interface DemoFlags {
  arch: DemoArch;
  out: string;
  size: DemoSize;
  seed: string;
}

/** `teambot model demo`: writes a seeded random model (onnx-community layout) for tests and benchmarks. */
export async function runDemo(flags: DemoFlags, io: ModelCommandIo): Promise<void> {
  try {
    const seed = Number(flags.seed);
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new Error(`--seed must be a whole number, got "${flags.seed}"`);
    const spec = demoSpec(flags.size, flags.arch);
    const written = await writeDemoModel(flags.out, spec, seed, (message) => io.stderr.write(`${message}\n`));
    const total = Object.values(written.files).reduce((a, b) => a + b, 0);
    const layers = spec.layerTypes.join(', ');
    io.stdout.write(
      `Wrote ${flags.arch} (${flags.size}, seed ${seed}, ${(parameterCount(spec) / 1e6).toFixed(1)}M parameters; layers: ${layers}) ` +
        `to ${written.dir}: ${Object.keys(written.files).length} files, ${formatBytes(total)}\n`,
    );
  } catch (error) {
    io.stderr.write(`teambot model demo: ${errorMessage(error)}\n`);
    io.setExitCode(1);
  }
}

export function demoSubcommand(io: ModelCommandIo): Command {
  return new Command('demo')
    .description(
      'write a seeded random model (tokenizer, chat template, fp32 and q4 graphs) for tests and benchmarks',
    )
    .addOption(new Option('--arch <arch>', 'architecture').choices(DEMO_ARCHS).default('llama'))
    .requiredOption('--out <dir>', 'the directory to write')
    .addOption(
      new Option('--size <size>', 'tiny (unit tests) or bench (75M+ parameters for the hybrids)')
        .choices(['tiny', 'bench'])
        .default('tiny'),
    )
    .option('--seed <n>', 'weights seed', String(DEFAULT_DEMO_SEED))
    .action((flags: DemoFlags) => runDemo(flags, io));
}
