/**
 * Swaps inline code spans (runs of backticks closed by a run of the same length) for placeholders
 * `\ue000n\ue000`, so conversions never touch code; `restore` puts them back.
 */
export function protectCodeSpans(text: string): { text: string; restore: (converted: string) => string } {
  const kept: string[] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '`') {
      out += text[i];
      i++;
      continue;
    }
    const run = runLength(text, i);
    const close = closingRun(text, i + run, run);
    // A code span never runs past the end of its paragraph.
    if (close === -1 || text.slice(i, close).includes('\n\n')) {
      out += text.slice(i, i + run);
      i += run;
      continue;
    }
    out += `\ue000${kept.push(text.slice(i, close + run)) - 1}\ue000`;
    i = close + run;
  }
  const restore = (converted: string): string =>
    converted.replace(/\ue000(\d+)\ue000/g, (_all, index: string) => kept[Number(index)] ?? '');
  return { text: out, restore };
}

function runLength(text: string, at: number): number {
  let length = 0;
  while (text[at + length] === '`') length++;
  return length;
}

function closingRun(text: string, from: number, run: number): number {
  let i = from;
  while (i < text.length) {
    if (text[i] !== '`') {
      i++;
      continue;
    }
    const length = runLength(text, i);
    if (length === run) return i;
    i += length;
  }
  return -1;
}
