/** Rate windows written as `<n>/<window>`: `20/minute`, `300/day`, `5/10s`, `1000/hour`. */
export interface RateWindow {
  /** Requests allowed per period. */
  limit: number;
  periodMs: number;
}

const UNIT_MS: Record<string, number> = {
  s: 1_000,
  sec: 1_000,
  second: 1_000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
};

const PATTERN = /^(\d+)\s*\/\s*(\d*)\s*([a-z]+?)s?$/i;

/** Parses `<n>/<window>`; undefined when the text is not one. */
export function parseWindow(text: string): RateWindow | undefined {
  const match = PATTERN.exec(text.trim());
  if (match === null) return undefined;
  const [, n = '', count = '', unit = ''] = match;
  const unitMs = UNIT_MS[unit.toLowerCase()];
  const limit = Number(n);
  const times = count === '' ? 1 : Number(count);
  if (unitMs === undefined || !Number.isSafeInteger(limit) || limit < 1 || times < 1) return undefined;
  return { limit, periodMs: unitMs * times };
}

export const WINDOW_HELP = '<n>/<window>, e.g. 20/minute, 300/day, 5/10s (units: s, minute, hour, day)';

/** `20/minute` back from a window (the shortest exact unit). */
export function formatWindow(window: RateWindow): string {
  const units: Array<[string, number]> = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
    ['s', 1_000],
  ];
  for (const [name, ms] of units) {
    if (window.periodMs % ms !== 0) continue;
    const times = window.periodMs / ms;
    return `${window.limit}/${times === 1 ? name : `${times}${name === 's' ? 's' : ` ${name}s`}`}`;
  }
  return `${window.limit}/${window.periodMs}ms`;
}
