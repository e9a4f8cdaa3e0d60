import type { Scores } from './score.js';

export interface OcrReport {
  date: string;
  images: number;
  threads: number;
  teambot: { cer: Scores; imagesPerS: number; loadMs: number; models: string };
  tesseract: { version: string; cer: Scores; imagesPerS: number };
  ratio: { speed: number; cerEn: number; cerZh: number };
  targets: { cerAtMost5pct: boolean; chineseBelowTesseract: boolean; englishNoWorse: boolean };
  machine: { cpus: number; cpuModel: string; node: string; loadAvg1m: { start: number; end: number } };
}

const pct = (value: number) => `${(value * 100).toFixed(2)}%`;
const met = (ok: boolean) => (ok ? 'met' : '**missed**');

export function renderOcrSection(r: OcrReport): string {
  const row = (label: string, key: keyof Scores) =>
    `| CER ${label} (${r.teambot.cer[key].images} images, ${r.teambot.cer[key].characters} chars) | ${pct(r.teambot.cer[key].cer)} | ${pct(r.tesseract.cer[key].cer)} |`;
  return `## OCR: teambot vs tesseract

\`npm run bench:ocr\` renders the OCR test set (src/inference/ocr/testset: English and Chinese lines in
DejaVu and Noto CJK fonts, 14-44 px, tilted by up to 7° or upside down, Gaussian noise, dark mode, JPEG),
reads every image with teambot (${r.teambot.models}) and with ${r.tesseract.version}
(\`-l eng\` for the English images, \`-l chi_sim\` for the Chinese ones) on the CPU, and prints one JSON line.
Flags: \`--images N\` per language (default 40), \`--threads N\` (default 2), \`--quick\` (6 per language,
leaves this file alone), \`--no-docs\`.

- Run: ${r.date}; ${r.images} images; ${r.threads} threads each (onnxruntime intra-op threads, tesseract's \`OMP_THREAD_LIMIT\`)
- Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}; 1-minute load average ${r.machine.loadAvg1m.start.toFixed(2)} at the start, ${r.machine.loadAvg1m.end.toFixed(2)} at the end

| metric | teambot | tesseract |
| --- | ---: | ---: |
${row('English', 'en')}
${row('Chinese', 'zh')}
${row('all', 'all')}
${row('not upside down', 'upright')}
${row('not upside down, light mode', 'light')}
| images/s | ${r.teambot.imagesPerS.toFixed(2)} | ${r.tesseract.imagesPerS.toFixed(2)} |

Speed ratio (teambot/tesseract images/s): ${r.ratio.speed.toFixed(2)}×. Targets: CER ≤ 5% ${met(r.targets.cerAtMost5pct)};
Chinese CER below tesseract's ${met(r.targets.chineseBelowTesseract)}; English CER no worse than tesseract's
${met(r.targets.englishNoWorse)}.

Notes:
- CER is the edit distance over the reference's characters, summed over the images, after the same
  normalization for both (NFKC, whitespace runs to one space, no spaces next to CJK characters, since
  tesseract's chi_sim puts one between characters). Line breaks count as spaces.
- teambot's time covers decoding, detection, classification and recognition of every image in one
  process after a warm-up image (model loading, ${r.teambot.loadMs.toFixed(0)} ms, is not counted);
  tesseract's is the wall time of one batch process per language, which includes loading its language data once.
- tesseract runs with its defaults (page segmentation 3, no orientation detection), so upside-down images
  are lost to it; the last two CER rows leave those (and dark mode) out for a like-for-like view.
`;
}
