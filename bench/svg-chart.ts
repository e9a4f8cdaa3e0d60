/**
 * A tiny dependency-free SVG line chart for the benchmark docs: numeric x and y axes with "nice"
 * ticks, one polyline with dots per series, a legend. Deterministic output (same figures, same bytes).
 */

export interface Series {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  /** Categorical x: the points' x values are spaced evenly in the order given (e.g. concurrency 1, 4, 16). */
  evenX?: boolean;
  /** A line under the title (run date, machine). */
  note?: string;
}

const W = 640;
const H = 360;
const M = { top: 56, right: 24, bottom: 56, left: 72 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];

const xml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
const num = (v: number) => String(Math.round(v * 10) / 10);

/** Ticks at 1, 2 or 5 × 10^k covering 0..max (about five of them). */
export function niceTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

const label = (v: number) => (Math.abs(v) >= 1000 ? `${num(v / 1000)}k` : num(v));

export function renderLineChart(chart: LineChart): string {
  const xs = [...new Set(chart.series.flatMap((s) => s.points.map(([x]) => x)))].sort((a, b) => a - b);
  const yMax = Math.max(0, ...chart.series.flatMap((s) => s.points.map(([, y]) => y)));
  const yTicks = niceTicks(yMax);
  const yTop = yTicks.at(-1) ?? 1;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const xMin = xs[0] ?? 0;
  const xMax = xs.at(-1) ?? 1;
  const xAt = (x: number) =>
    chart.evenX === true
      ? M.left + (xs.length < 2 ? plotW / 2 : (xs.indexOf(x) / (xs.length - 1)) * plotW)
      : M.left + (xMax === xMin ? plotW / 2 : ((x - xMin) / (xMax - xMin)) * plotW);
  const yAt = (y: number) => M.top + plotH - (y / yTop) * plotH;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12" role="img">`,
    `<title>${xml(chart.title)}</title>`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${xml(chart.title)}</text>`,
  ];
  if (chart.note !== undefined)
    out.push(`<text x="${W / 2}" y="40" text-anchor="middle" fill="#555">${xml(chart.note)}</text>`);
  for (const t of yTicks) {
    const y = num(yAt(t));
    out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(
      `<text x="${M.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${label(t)}</text>`,
    );
  }
  for (const x of xs) {
    out.push(`<text x="${num(xAt(x))}" y="${H - M.bottom + 18}" text-anchor="middle">${label(x)}</text>`);
  }
  out.push(
    `<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#333"/>`,
    `<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#333"/>`,
    `<text x="${M.left + plotW / 2}" y="${H - 14}" text-anchor="middle">${xml(chart.xLabel)}</text>`,
    `<text transform="translate(18 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle">${xml(chart.yLabel)}</text>`,
  );
  chart.series.forEach((series, i) => {
    const color = COLORS[i % COLORS.length];
    const points = series.points.map(([x, y]) => `${num(xAt(x))},${num(yAt(y))}`);
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.join(' ')}"/>`);
    for (const [x, y] of series.points)
      out.push(`<circle cx="${num(xAt(x))}" cy="${num(yAt(y))}" r="3.5" fill="${color}"/>`);
    const ly = M.top + 8 + i * 18;
    out.push(
      `<line x1="${M.left + 12}" x2="${M.left + 32}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${M.left + 38}" y="${ly}" dominant-baseline="middle">${xml(series.name)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
