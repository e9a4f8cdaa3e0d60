import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { Command, Option } from 'commander';
import { loadConfig } from '../config/load.js';
import { OcrReader } from '../inference/ocr/reader.js';
import type { OcrResult } from '../inference/ocr/types.js';
import { errorMessage } from '../util/error-message.js';

interface OcrFlags {
  json?: boolean;
  device?: 'auto' | 'cpu' | 'cuda' | 'webgpu';
  threads?: string;
}

const VIDEO = new Set(['.mp4', '.mov', '.webm', '.mkv', '.avi', '.m4v']);

const round = (n: number) => Math.round(n * 10) / 10;

function jsonOf(file: string, result: OcrResult, reader: OcrReader) {
  const { device, reason } = reader.device();
  return {
    file,
    width: result.width,
    height: result.height,
    text: result.text,
    lines: result.lines.map((line) => ({
      text: line.text,
      confidence: Math.round(line.confidence * 1000) / 1000,
      box: line.box.map((p) => [round(p.x), round(p.y)]),
      rotated180: line.rotated180,
    })),
    device,
    device_reason: reason,
    timings: result.timings,
  };
}

async function run(file: string, flags: OcrFlags): Promise<void> {
  const info = await stat(file).catch(() => undefined);
  if (info === undefined || !info.isFile()) throw new Error(`no such file: ${file}`);
  if (VIDEO.has(extname(file).toLowerCase())) {
    throw new Error('videos are read through their keyframes by the bot; give the CLI an image');
  }
  const config = loadConfig(process.env);
  const threads = flags.threads === undefined ? config.INFERENCE_THREADS : Number(flags.threads);
  if (!Number.isInteger(threads) || threads < 0) throw new Error('--threads must be an integer >= 0');
  const reader = await OcrReader.open({
    device: flags.device ?? config.INFERENCE_DEVICE,
    threads,
    maxSide: config.OCR_MAX_SIDE,
  });
  try {
    const result = await reader.read(file);
    if (flags.json === true) process.stdout.write(`${JSON.stringify(jsonOf(file, result, reader))}\n`);
    else process.stdout.write(result.text === '' ? '' : `${result.text}\n`);
    if (flags.json !== true && result.text === '') process.stderr.write('teambot ocr: no text found\n');
  } finally {
    await reader.close();
  }
}

export function ocrCommand(): Command {
  return new Command('ocr')
    .description('read the text in an image (PP-OCRv4, Chinese and English) and print it')
    .argument('<file>', 'an image file (PNG, JPEG, WebP, GIF, TIFF, AVIF, SVG)')
    .option('--json', 'print one JSON object with the lines, their boxes and confidences')
    .addOption(
      new Option('--device <device>', 'execution provider (default: INFERENCE_DEVICE)').choices([
        'auto',
        'cpu',
        'cuda',
        'webgpu',
      ]),
    )
    .option('--threads <n>', 'CPU threads (0: onnxruntime decides; default: INFERENCE_THREADS)')
    .action(async (file: string, flags: OcrFlags) => {
      try {
        await run(file, flags);
      } catch (error) {
        process.stderr.write(`teambot ocr: ${errorMessage(error)}\n`);
        process.exitCode = 1;
      }
    });
}
