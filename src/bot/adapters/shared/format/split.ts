import { type Fence, findFences } from './fences.js';
import { type Cut, isInFence, isInside, protectedSpans, TIERS } from './split-points.js';

/**
 * Splits `text` (Markdown or Slack mrkdwn) into parts of at most `limit` characters, cutting at
 * blank lines first, then line breaks, sentence ends and spaces, each time as late as it can.
 *
 * A fenced code block is never cut while it fits in a part of its own: the part ends before it.
 * A block longer than `limit` is cut between its lines (inside a line only when one line alone is
 * too long); the part is closed with the fence and the next one reopens it, language tag included.
 * The whitespace at a cut is dropped (and blank code lines that would be all of a reopened block),
 * nothing else: parts are never empty or blank, and `[]` comes back for text that is empty or only
 * whitespace. Split after rendering (Slack's `toMrkdwn`, Lark's card Markdown): it changes lengths.
 */
export function splitAtSafePoints(text: string, limit: number): string[] {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`limit must be a positive integer: ${limit}`);
  const parts: string[] = [];
  let rest = text.replace(/\r\n?/g, '\n');
  while (rest.length > limit) {
    rest = rest.replace(/^(?:[ \t]*\n)+/, '');
    if (rest.length <= limit) break;
    const [head, tail] = nextPart(rest, limit);
    parts.push(head);
    rest = tail;
  }
  if (rest.trim() !== '') parts.push(rest);
  return parts;
}

/** The next part (at most `limit` characters, not blank) and what is left after it. */
function nextPart(rest: string, limit: number): [string, string] {
  const fences = findFences(rest);
  const crossing = fences.find((fence) => fence.start < limit && fence.end > limit);
  if (crossing) {
    const before = bestCut(rest, crossing.start, fences);
    const fits = crossing.end - crossing.start <= limit;
    if (before && (fits || before.headEnd >= limit / 2)) return apart(rest, before);
    const inside = splitInsideFence(rest, crossing, limit);
    if (inside) return inside;
    if (before) return apart(rest, before);
  } else {
    const cut = bestCut(rest, limit, fences);
    if (cut) return apart(rest, cut);
  }
  const at = hardCut(rest, limit);
  return [rest.slice(0, at), rest.slice(at)];
}

function apart(rest: string, cut: Cut): [string, string] {
  return [rest.slice(0, cut.headEnd).trimEnd(), rest.slice(cut.tailStart)];
}

/** The latest good cut with a part of at most `maxHead` characters: a late one of a weaker kind beats an early one. */
function bestCut(rest: string, maxHead: number, fences: Fence[]): Cut | undefined {
  const firstText = rest.search(/\S/);
  if (firstText === -1 || firstText >= maxHead) return undefined;
  // Cuts past maxHead are of no use; the margin lets spans and separators end beyond it.
  const window = rest.slice(0, maxHead + 2_100);
  const spans = protectedSpans(window);
  const usable = (cut: Cut, min: number): boolean =>
    cut.headEnd >= min &&
    cut.headEnd <= maxHead &&
    cut.headEnd > firstText &&
    cut.tailStart > 0 &&
    !isInFence(cut.headEnd, fences) &&
    !isInside(cut.headEnd, spans);
  const candidates = TIERS.map((tier) => tier(window, fences));
  for (const min of [Math.floor(maxHead / 2), 1]) {
    for (const cuts of candidates) {
      let best: Cut | undefined;
      for (const cut of cuts) {
        if (usable(cut, min) && (!best || cut.headEnd > best.headEnd)) best = cut;
      }
      if (best) return best;
    }
  }
  return undefined;
}

/**
 * Cuts inside a code block too long for one part: at the last line break that fits with the
 * closing fence, or inside a line when none does. Undefined when the part would hold no code.
 */
function splitInsideFence(rest: string, fence: Fence, limit: number): [string, string] | undefined {
  const closing = `\n${fence.indent}${fence.marker}`;
  const maxHead = limit - closing.length;
  if (maxHead <= fence.contentStart || fence.opener.length + 1 + closing.length >= limit) return undefined;
  const reopen = (head: number, tail: number): [string, string] => [
    rest.slice(0, head) + closing,
    // Code left after the cut that is only blank lines is not worth a part of its own.
    rest.slice(tail, fence.contentEnd).trim() === ''
      ? rest.slice(fence.end)
      : `${fence.opener}\n${rest.slice(tail)}`,
  ];
  const lineEnd = rest.lastIndexOf('\n', maxHead);
  if (lineEnd > fence.contentStart && lineEnd < fence.contentEnd - 1) return reopen(lineEnd, lineEnd + 1);
  const at = hardCut(rest, maxHead);
  return at > fence.contentStart ? reopen(at, at) : undefined;
}

/** Cuts at `max` characters, moved back off a surrogate pair or an `&…;` entity. */
function hardCut(text: string, max: number): number {
  let at = max;
  const code = text.charCodeAt(at - 1);
  if (code >= 0xd800 && code <= 0xdbff && at > 1) at--;
  const amp = text.lastIndexOf('&', at - 1);
  if (amp > 0 && at - amp < 10) {
    const entity = /^&(?:[a-zA-Z]{2,8}|#\d{1,7});/.exec(text.slice(amp, amp + 11));
    if (entity && amp + entity[0].length > at) at = amp;
  }
  return at;
}
