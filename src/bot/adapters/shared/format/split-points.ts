import type { Fence } from './fences.js';

/** Where to cut: the part ends at `headEnd`, the next one starts at `tailStart` (whitespace between is dropped). */
export interface Cut {
  headEnd: number;
  tailStart: number;
}

interface Span {
  start: number;
  end: number;
}

type Tier = (text: string, fences: Fence[]) => Cut[];

function matches(text: string, pattern: RegExp, cut: (match: RegExpExecArray) => Cut): Cut[] {
  const cuts: Cut[] = [];
  for (const match of text.matchAll(pattern)) cuts.push(cut(match as RegExpExecArray));
  return cuts;
}

/** Blank lines, and the line breaks just before and after a fenced code block. */
const paragraphs: Tier = (text, fences) => {
  const cuts = matches(text, /\n[ \t]*\n(?:[ \t]*\n)*/g, (m) => ({
    headEnd: m.index,
    tailStart: m.index + m[0].length,
  }));
  for (const fence of fences) {
    if (text[fence.start - 1] === '\n') cuts.push({ headEnd: fence.start - 1, tailStart: fence.start });
    if (text[fence.end] === '\n') cuts.push({ headEnd: fence.end, tailStart: fence.end + 1 });
  }
  return cuts;
};

const lines: Tier = (text) => matches(text, /\n/g, (m) => ({ headEnd: m.index, tailStart: m.index + 1 }));

/** After `.`, `!` or `?` (and closing quotes or brackets) followed by a space; after CJK full stops. */
const sentences: Tier = (text) => [
  ...matches(text, /[.!?…][”’"')\]]*([ \t]+)/g, (m) => ({
    headEnd: m.index + m[0].length - (m[1] ?? '').length,
    tailStart: m.index + m[0].length,
  })),
  ...matches(text, /[。！？][”’"')\]」』]*/g, (m) => ({
    headEnd: m.index + m[0].length,
    tailStart: m.index + m[0].length,
  })),
];

const spaces: Tier = (text) =>
  matches(text, /[ \t]+/g, (m) => ({ headEnd: m.index, tailStart: m.index + m[0].length }));

/** Break kinds, best first. */
export const TIERS: readonly Tier[] = [paragraphs, lines, sentences, spaces];

/**
 * Stretches a cut must not fall inside: inline code, `<…>` links and mentions, Markdown links, and
 * short emphasised runs (a cut there would leave an unclosed `*` or `_` in each part).
 */
export function protectedSpans(text: string): Span[] {
  const patterns = [
    /`[^`\n]+`/g,
    /<[^<>\n]{1,1000}>/g,
    /!?\[[^\]\n]{0,500}\]\([^)\s]{0,2000}\)/g,
    emphasis('\\*'),
    emphasis('_'),
    emphasis('~'),
  ];
  const spans: Span[] = [];
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) spans.push({ start: m.index, end: m.index + m[0].length });
  }
  return spans;
}

/** One or two `marker`s opening after a space and closing before one, at most 300 characters apart. */
function emphasis(marker: string): RegExp {
  const open = `(?<![^\\s(\\[])${marker}{1,2}(?=[^\\s${marker}])`;
  const close = `(?<=[^\\s${marker}])${marker}{1,2}(?![^\\s.,;:!?)\\]])`;
  return new RegExp(`${open}[^\\n]{0,300}?${close}`, 'g');
}

export function isInside(position: number, spans: readonly Span[]): boolean {
  return spans.some((span) => span.start < position && position < span.end);
}

export function isInFence(position: number, fences: readonly Fence[]): boolean {
  return fences.some((fence) => fence.start <= position && position < fence.end);
}
