import { characterErrorRate } from '../../src/inference/ocr/cer.js';
import type { TestImage, TestLanguage } from '../../src/inference/ocr/testset/testset.js';

export interface LanguageScore {
  images: number;
  characters: number;
  errors: number;
  /** Edit errors over reference characters, summed over the language's images. */
  cer: number;
}

export type Scores = Record<TestLanguage | 'all' | 'upright' | 'light', LanguageScore>;

/**
 * CER per language, overall, over the images that are not upside down (`upright`) and over the
 * upright light-mode ones (`light`: the easiest case), from each image's expected and read text.
 */
export function score(images: TestImage[], texts: string[]): Scores {
  const empty = (): LanguageScore => ({ images: 0, characters: 0, errors: 0, cer: 0 });
  const scores: Scores = { en: empty(), zh: empty(), all: empty(), upright: empty(), light: empty() };
  images.forEach((image, i) => {
    const result = characterErrorRate(image.text, texts[i] ?? '');
    const keys: (keyof Scores)[] = [image.language, 'all'];
    if (image.style.angle !== 180) keys.push('upright');
    if (image.style.angle !== 180 && !image.style.dark) keys.push('light');
    for (const key of keys) {
      scores[key].images++;
      scores[key].characters += result.length;
      scores[key].errors += result.errors;
    }
  });
  for (const s of Object.values(scores)) s.cer = s.characters === 0 ? 0 : s.errors / s.characters;
  return scores;
}
