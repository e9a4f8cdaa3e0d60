import { Command, InvalidArgumentError, Option } from 'commander';
import { loadConfig } from '../config/load.js';
import { pullProgressPrinter } from '../inference/hub/progress-printer.js';
import { DTYPES, type Dtype, parseDtype } from '../inference/model/variants.js';
import type { OnnxEngine } from '../inference/onnx/engine.js';
import { openLocalEngine } from '../inference/onnx/from-config.js';
import { resolveModel } from '../inference/resolve-model.js';
import type { GenerateResult, Generation } from '../inference/types.js';
import { errorMessage } from '../util/error-message.js';
import { collectImage, readImages } from './generate-images.js';

interface GenerateFlags {
  model?: string;
  prompt: string;
  system?: string;
  maxNewTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  repetitionPenalty?: number;
  seed?: number;
  device?: 'auto' | 'cpu' | 'cuda' | 'webgpu';
  dtype?: string;
  threads?: number;
  raw?: boolean;
  json?: boolean;
  image?: string[];
}

function number(kind: 'int' | 'float', min: number, max = Number.POSITIVE_INFINITY) {
  return (value: string): number => {
    const parsed = Number(value);
    if (
      !Number.isFinite(parsed) ||
      parsed < min ||
      parsed > max ||
      (kind === 'int' && !Number.isInteger(parsed))
    ) {
      throw new InvalidArgumentError(
        `expected ${kind === 'int' ? 'an integer' : 'a number'} >= ${min}${max < Infinity ? ` and <= ${max}` : ''}`,
      );
    }
    return parsed;
  };
}

function parseDtypeChoice(value: string): Dtype | 'auto' {
  return value === 'auto' ? 'auto' : parseDtype(value);
}

function jsonOf(result: GenerateResult, engine: OnnxEngine) {
  const { device, dtype, reason } = engine.device();
  const decodeTokens = result.timings?.decodeSteps ?? 0;
  const decodeMs = result.timings?.decodeMs ?? 0;
  return {
    text: result.text,
    prompt_ids: result.promptTokenIds ?? [],
    tokens: result.tokenIds ?? [],
    finish_reason: result.finishReason,
    usage: { prompt_tokens: result.usage.promptTokens, completion_tokens: result.usage.completionTokens },
    model: result.model,
    device,
    dtype: dtype ?? null,
    device_reason: reason,
    timings: {
      ...result.timings,
      decode_tokens_per_s: decodeMs > 0 ? (decodeTokens / decodeMs) * 1000 : null,
    },
  };
}

async function run(flags: GenerateFlags): Promise<void> {
  const config = loadConfig(process.env);
  const progress = pullProgressPrinter(process.stderr);
  const settings = {
    ...config,
    INFERENCE_DEVICE: flags.device ?? config.INFERENCE_DEVICE,
    MODEL_DTYPE: flags.dtype === undefined ? config.MODEL_DTYPE : parseDtypeChoice(flags.dtype),
    INFERENCE_THREADS: flags.threads ?? config.INFERENCE_THREADS,
  };
  const resolved = await resolveModel(flags.model ?? config.MODEL, {
    modelsDir: config.MODELS_DIR,
    dtype: settings.MODEL_DTYPE,
    device: settings.INFERENCE_DEVICE,
    fallbackToDemo: false,
    onProgress: progress,
  });
  const images = await readImages(flags.image ?? []);
  if (images.length > 0 && flags.raw === true)
    throw new Error('--image needs the chat template: drop --raw.');
  const engine = await openLocalEngine(settings, resolved);
  try {
    if (images.length > 0 && engine.info().vision !== true) {
      throw new Error(`${resolved.name} does not look at images (it has no vision encoder): drop --image.`);
    }
    const sampling = {
      maxTokens: flags.maxNewTokens,
      temperature: flags.temperature,
      topP: flags.topP,
      topK: flags.topK,
      repetitionPenalty: flags.repetitionPenalty,
      seed: flags.seed,
    };
    const controller = new AbortController();
    process.once('SIGINT', () => controller.abort());
    const generation: Generation =
      flags.raw === true
        ? engine.complete({ prompt: flags.prompt, ...sampling }, controller.signal)
        : engine.generate(
            {
              messages: [
                ...(flags.system === undefined ? [] : [{ role: 'system' as const, content: flags.system }]),
                { role: 'user', content: flags.prompt, ...(images.length > 0 ? { images } : {}) },
              ],
              ...sampling,
            },
            controller.signal,
          );
    if (flags.json !== true) {
      for await (const chunk of generation) process.stdout.write(chunk);
      process.stdout.write('\n');
    }
    const result = await generation.result;
    if (flags.json === true) process.stdout.write(`${JSON.stringify(jsonOf(result, engine))}\n`);
  } finally {
    await engine.close();
  }
}

export function generateCommand(): Command {
  return new Command('generate')
    .description('generate text with the local ONNX engine, streamed to stdout')
    .option('--model <dir|hub-id>', 'a model directory or a Hugging Face id (default: MODEL)')
    .requiredOption('--prompt <text>', 'the user message (or, with --raw, the whole prompt)')
    .option('--system <text>', 'a system message')
    .option('--max-new-tokens <n>', 'most tokens to generate', number('int', 1))
    .option('--temperature <t>', '0 for greedy decoding', number('float', 0, 2))
    .option('--top-p <p>', 'nucleus sampling mass', number('float', 0, 1))
    .option('--top-k <k>', 'sample among the k likeliest', number('int', 0))
    .option('--repetition-penalty <r>', 'penalize repeated tokens (1 = off)', number('float', 0))
    .option('--seed <s>', 'seed for reproducible sampling', number('int', 0))
    .addOption(
      new Option('--device <device>', 'execution provider').choices(['auto', 'cpu', 'cuda', 'webgpu']),
    )
    .addOption(new Option('--dtype <dtype>', 'weight variant').choices(['auto', ...DTYPES]))
    .option('--threads <n>', 'CPU threads (0: onnxruntime decides)', number('int', 0))
    .option('--raw', 'skip the chat template: tokenize the prompt as is')
    .option(
      '--image <file>',
      'an image the model looks at, before the prompt (repeatable; vision-language models)',
      collectImage,
    )
    .option(
      '--json',
      'print one JSON object (text, prompt_ids, tokens, finish_reason, timings) instead of streaming',
    )
    .action(async (flags: GenerateFlags) => {
      try {
        await run(flags);
      } catch (error) {
        process.stderr.write(`teambot generate: ${errorMessage(error)}\n`);
        process.exitCode = 1;
      }
    });
}
