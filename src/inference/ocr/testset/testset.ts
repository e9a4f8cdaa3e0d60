import { createRng } from '../../sampling/rng.js';
import { CHINESE_LINES, ENGLISH_LINES } from './corpus.js';
import { type RenderStyle, renderText } from './render.js';

export type TestLanguage = 'en' | 'zh';

export interface TestImage {
  name: string;
  language: TestLanguage;
  /** The expected text: the rendered lines joined by newlines. */
  text: string;
  style: RenderStyle;
  /** PNG or JPEG bytes. */
  data: Buffer;
  extension: 'png' | 'jpg';
}

const FONTS: Record<TestLanguage, string[]> = {
  en: ['DejaVu Sans', 'DejaVu Serif', 'DejaVu Sans Mono', 'Noto Sans CJK SC'],
  zh: ['Noto Sans CJK SC', 'Noto Serif CJK SC'],
};
const SIZES = [14, 18, 24, 32, 44];
const ANGLES = [0, 0, 2, -3, 5, -7, 180];
const NOISE = [0, 6, 14];

function pick<T>(items: T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

/**
 * The rendered test set: `perLanguage` English and as many Chinese images, each with one or two
 * corpus lines in a font, size, rotation, noise level, colour scheme and encoding drawn from a
 * seeded generator (so the same seed gives the same images). Upside-down images hold one line, so
 * their reading order is not in question.
 */
export async function renderTestSet(perLanguage: number, seed = 7): Promise<TestImage[]> {
  const random = createRng(seed);
  const images: TestImage[] = [];
  for (const language of ['en', 'zh'] as const) {
    const corpus = language === 'en' ? ENGLISH_LINES : CHINESE_LINES;
    for (let i = 0; i < perLanguage; i++) {
      const angle = ANGLES[i % ANGLES.length] as number;
      const count = angle === 180 ? 1 : 1 + (i % 2);
      const lines = Array.from({ length: count }, (_, k) => corpus[(i * 2 + k) % corpus.length] as string);
      const style: RenderStyle = {
        font: pick(FONTS[language], random),
        size: SIZES[i % SIZES.length] as number,
        angle,
        noise: pick(NOISE, random),
        dark: random() < 0.25,
        ...(random() < 0.3 ? { jpegQuality: 75 } : {}),
      };
      const data = await renderText(lines, style, random);
      const extension = style.jpegQuality === undefined ? 'png' : 'jpg';
      images.push({
        name: `${language}-${String(i).padStart(2, '0')}`,
        language,
        text: lines.join('\n'),
        style,
        data,
        extension,
      });
    }
  }
  return images;
}
