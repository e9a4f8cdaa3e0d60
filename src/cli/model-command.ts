import { Command, Option } from 'commander';
import { type Config, configSchema } from '../config/schema.js';
import { formatBytes } from '../inference/hub/format-bytes.js';
import { type LocalModel, listLocalModels } from '../inference/hub/local-models.js';
import { type ProgressStream, pullProgressPrinter } from '../inference/hub/progress-printer.js';
import { pullModel } from '../inference/hub/pull.js';
import { type DeviceKind, DTYPES, type Dtype } from '../inference/model/variants.js';
import { probeDevices } from '../inference/onnx/device.js';
import { errorMessage } from '../util/error-message.js';
import { demoSubcommand } from './model-demo.js';
import { inspectSubcommand } from './model-inspect.js';

/** What the commands read and write; tests pass their own, the CLI the process's. */
export interface ModelCommandIo {
  stdout: { write(text: string): unknown };
  /** Progress and errors; a TTY gets a progress bar. */
  stderr: ProgressStream;
  env: Record<string, string | undefined>;
  /** Passed to pullModel (tests point it anywhere). Default: global fetch. */
  fetch?: typeof fetch;
  /** Aborts a pull. Default: Ctrl-C (SIGINT). */
  signal?: AbortSignal;
  /** Retry pause passed to pullModel (tests shorten it). */
  retryDelayMs?: number;
  setExitCode(code: number): void;
}

export interface PullFlags {
  dtype?: Dtype;
  device?: DeviceKind;
  revision?: string;
  modelsDir?: string;
}

export interface ListFlags {
  modelsDir?: string;
  json?: boolean;
}

/** A wrong setting or flag: one line, exit code 1. */
class UsageError extends Error {}

function processIo(): ModelCommandIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    setExitCode: (code) => {
      process.exitCode = code;
    },
  };
}

/** One setting, parsed with the same schema (and default) as the server's configuration. */
function setting<K extends 'MODELS_DIR' | 'MODEL_DTYPE' | 'INFERENCE_DEVICE'>(
  env: ModelCommandIo['env'],
  name: K,
): Config[K] {
  const parsed = configSchema.shape[name].safeParse(env[name]);
  if (!parsed.success) {
    throw new UsageError(
      `${name}: ${parsed.error.issues[0]?.message ?? 'invalid value'}, got "${env[name]}"`,
    );
  }
  return parsed.data as Config[K];
}

/** --device, else INFERENCE_DEVICE; `auto` means CUDA when its provider is installed, else CPU. */
function deviceFor(flags: PullFlags, env: ModelCommandIo['env']): DeviceKind {
  if (flags.device !== undefined) return flags.device;
  const configured = setting(env, 'INFERENCE_DEVICE');
  if (configured !== 'auto') return configured;
  return probeDevices().cudaLibrary === undefined ? 'cpu' : 'cuda';
}

/** Ctrl-C aborts the pull (the partial file stays for the next run) unless the caller brings a signal. */
function interruptSignal(io: ModelCommandIo): { signal: AbortSignal; dispose(): void } {
  if (io.signal !== undefined) return { signal: io.signal, dispose: () => undefined };
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  return { signal: controller.signal, dispose: () => process.removeListener('SIGINT', onInterrupt) };
}

function fail(io: ModelCommandIo, command: string, error: unknown): void {
  io.stderr.write(`teambot model ${command}: ${errorMessage(error)}\n`);
  io.setExitCode(1);
}

/** `teambot model pull <hub-id>`: downloads a model into MODELS_DIR/<owner>/<name>. */
export async function runPull(hubId: string, flags: PullFlags, io: ModelCommandIo): Promise<void> {
  const interrupt = interruptSignal(io);
  const progress = pullProgressPrinter(io.stderr);
  try {
    const modelDtype = flags.dtype === undefined ? setting(io.env, 'MODEL_DTYPE') : flags.dtype;
    const result = await pullModel({
      repo: hubId,
      revision: flags.revision,
      dtype: modelDtype === 'auto' ? undefined : modelDtype,
      device: deviceFor(flags, io.env),
      modelsDir: flags.modelsDir ?? setting(io.env, 'MODELS_DIR'),
      endpoint: io.env.HF_ENDPOINT,
      token: io.env.HF_TOKEN,
      fetch: io.fetch,
      signal: interrupt.signal,
      retryDelayMs: io.retryDelayMs,
      onProgress: progress,
    });
    progress.stop();
    if (result.layout === 'genai' && flags.dtype !== undefined) {
      io.stderr.write(
        `note: ${hubId} is an onnxruntime-genai export with one graph; --dtype does not apply.\n`,
      );
    }
    const fetched = result.files.filter((f) => f.downloaded).length;
    const kept = result.files.length - fetched;
    const variant = result.dtype === undefined ? result.layout : `${result.dtype}, ${result.layout}`;
    io.stdout.write(
      `Pulled ${hubId} (${variant}): ${fetched} file(s) downloaded, ${kept} already complete, in ${result.dir}\n`,
    );
  } catch (error) {
    progress.stop();
    if (interrupt.signal.aborted) {
      io.stderr.write('teambot model pull: interrupted; run the same command again to resume.\n');
      io.setExitCode(130);
    } else {
      fail(io, 'pull', error);
    }
  } finally {
    interrupt.dispose();
  }
}

function table(models: LocalModel[]): string {
  const rows = [
    ['ID', 'LAYOUT', 'DTYPES', 'SIZE'],
    ...models.map((m) => [
      m.id,
      m.layout,
      m.dtypes.length > 0 ? m.dtypes.join(',') : '-',
      formatBytes(m.sizeBytes),
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `teambot model list`: the models under MODELS_DIR, as a table or JSON. */
export async function runList(flags: ListFlags, io: ModelCommandIo): Promise<void> {
  try {
    const modelsDir = flags.modelsDir ?? setting(io.env, 'MODELS_DIR');
    const models = await listLocalModels(modelsDir);
    if (flags.json === true) {
      io.stdout.write(`${JSON.stringify(models, null, 2)}\n`);
    } else if (models.length === 0) {
      io.stdout.write(`No models in ${modelsDir}. Fetch one with: teambot model pull <owner/name>\n`);
    } else {
      io.stdout.write(`${table(models)}\n`);
    }
  } catch (error) {
    fail(io, 'list', error);
  }
}

const modelsDirOption = () =>
  new Option('--models-dir <dir>', 'where models live (default: MODELS_DIR, else ./models)');

export function pullSubcommand(io: ModelCommandIo): Command {
  return new Command('pull')
    .description(
      'download a model from the Hugging Face hub (HF_ENDPOINT, HF_TOKEN) into MODELS_DIR/<owner>/<name>',
    )
    .argument('<hub-id>', 'owner/name, e.g. onnx-community/Qwen2.5-0.5B-Instruct')
    .addOption(
      new Option(
        '--dtype <dtype>',
        'weight variant (default: MODEL_DTYPE, else the best for the device)',
      ).choices(DTYPES),
    )
    .addOption(
      new Option('--device <device>', 'device whose preferred variant to pick').choices([
        'cpu',
        'cuda',
        'webgpu',
      ]),
    )
    .option('--revision <rev>', 'branch, tag or commit', 'main')
    .addOption(modelsDirOption())
    .action((hubId: string, flags: PullFlags) => runPull(hubId, flags, io));
}

export function listSubcommand(io: ModelCommandIo): Command {
  return new Command('list')
    .description('list the models in MODELS_DIR')
    .addOption(modelsDirOption())
    .option('--json', 'print JSON instead of a table')
    .action((flags: ListFlags) => runList(flags, io));
}

/**
 * `teambot model <pull|list|inspect|demo>`. Register with `program.addCommand(modelCommand())`.
 * Tests pass their own `io` (streams, environment, fetch, exit code).
 */
export function modelCommand(io: ModelCommandIo = processIo()): Command {
  const output = {
    writeOut: (s: string) => void io.stdout.write(s),
    writeErr: (s: string) => void io.stderr.write(s),
  };
  const command = new Command('model')
    .description('fetch, list, inspect and generate local ONNX models')
    .configureOutput(output);
  command.addCommand(pullSubcommand(io).configureOutput(output));
  command.addCommand(listSubcommand(io).configureOutput(output));
  command.addCommand(inspectSubcommand(io).configureOutput(output));
  command.addCommand(demoSubcommand(io).configureOutput(output));
  return command;
}
