import sharp from 'sharp';

export interface RenderStyle {
  /** A fontconfig family name, e.g. "Noto Sans CJK SC" or "DejaVu Serif" (the tests get them from npm packages: test/fonts). */
  font: string;
  /** Font size in pixels. */
  size: number;
  /** Rotation in degrees, counter-clockwise positive as sharp's is clockwise; 180 turns it over. */
  angle: number;
  /** Standard deviation of the Gaussian noise added to every channel, in 8-bit levels. */
  noise: number;
  /** Light text on a dark background (a dark-mode screenshot). */
  dark: boolean;
  /** Encode as JPEG at this quality instead of PNG. */
  jpegQuality?: number;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A generous width estimate: CJK glyphs are square, Latin ones at most ~0.62 em in these fonts. */
function textWidth(line: string, size: number): number {
  let em = 0;
  for (const ch of line) em += /[\u2e80-\uffef]/u.test(ch) ? 1 : 0.62;
  return em * size;
}

function svgFor(lines: string[], style: RenderStyle): string {
  const margin = Math.round(style.size * 1.2);
  const lineHeight = Math.round(style.size * 1.7);
  const width = Math.ceil(Math.max(...lines.map((l) => textWidth(l, style.size))) + 2 * margin);
  const height = lines.length * lineHeight + 2 * margin;
  const [bg, fg] = style.dark ? ['#1e1f22', '#e6e6e6'] : ['#ffffff', '#1a1a1a'];
  const texts = lines
    .map(
      (line, i) =>
        `<text x="${margin}" y="${margin + i * lineHeight + style.size}" font-family="${style.font}" font-size="${style.size}" fill="${fg}">${escapeXml(line)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="${bg}"/>${texts}</svg>`;
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * Renders lines of text with librsvg/pango through sharp (fonts found by fontconfig), then rotates,
 * adds noise and encodes. Deterministic for a given `random`.
 */
export async function renderText(lines: string[], style: RenderStyle, random: () => number): Promise<Buffer> {
  const background = style.dark ? '#1e1f22' : '#ffffff';
  const rendered = await sharp(Buffer.from(svgFor(lines, style)))
    .flatten({ background })
    .rotate(-style.angle, { background })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { data, info } = rendered;
  if (style.noise > 0) {
    for (let i = 0; i < data.length; i++) {
      const value = (data[i] as number) + gaussian(random) * style.noise;
      data[i] = value < 0 ? 0 : value > 255 ? 255 : Math.round(value);
    }
  }
  const image = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  return style.jpegQuality === undefined
    ? image.png().toBuffer()
    : image.jpeg({ quality: style.jpegQuality }).toBuffer();
}
