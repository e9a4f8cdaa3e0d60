/**
 * Deterministic byte-level BPE training: start from the 256 byte symbols and repeatedly merge the
 * most frequent adjacent pair (ties broken by the smaller pair, compared as strings).
 */
import { byteLevelWords, byteToUnicode } from './byte-level.js';

export interface TrainedBpe {
  /** Token -> id: the 256 byte symbols in byte order, then one id per new merged token. */
  vocab: Map<string, number>;
  merges: [string, string][];
}

interface Word {
  symbols: string[];
  count: number;
}

function countWords(text: string): Word[] {
  const counts = new Map<string, number>();
  for (const word of byteLevelWords(text)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([w, count]) => ({ symbols: [...w], count }));
}

/** The most frequent pair occurring at least twice, or undefined. */
function bestPair(words: readonly Word[]): [string, string] | undefined {
  const counts = new Map<string, number>();
  for (const { symbols, count } of words) {
    for (let i = 0; i + 1 < symbols.length; i += 1) {
      const key = `${symbols[i]} ${symbols[i + 1]}`;
      counts.set(key, (counts.get(key) ?? 0) + count);
    }
  }
  let best: string | undefined;
  let bestCount = 1;
  for (const [key, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== undefined && key < best)) {
      best = key;
      bestCount = count;
    }
  }
  if (best === undefined) return undefined;
  const [a, b] = best.split(' ');
  return a !== undefined && b !== undefined ? [a, b] : undefined;
}

function applyMerge(words: Word[], a: string, b: string): void {
  for (const word of words) {
    const out: string[] = [];
    const s = word.symbols;
    for (let i = 0; i < s.length; i += 1) {
      if (i + 1 < s.length && s[i] === a && s[i + 1] === b) {
        out.push(a + b);
        i += 1;
      } else {
        out.push(s[i] as string);
      }
    }
    word.symbols = out;
  }
}

/** Learns at most `maxNewTokens` merged tokens from `text`. */
export function trainByteLevelBpe(text: string, maxNewTokens: number): TrainedBpe {
  const vocab = new Map<string, number>();
  for (const symbol of byteToUnicode()) vocab.set(symbol, vocab.size);
  const merges: [string, string][] = [];
  const words = countWords(text);
  while (vocab.size < 256 + maxNewTokens) {
    const pair = bestPair(words);
    if (!pair) break;
    const [a, b] = pair;
    merges.push([a, b]);
    if (!vocab.has(a + b)) vocab.set(a + b, vocab.size);
    applyMerge(words, a, b);
  }
  return { vocab, merges };
}
