import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { woffToSfnt } from './woff.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const require = createRequire(import.meta.url);

/** The families the OCR test set and the media tests render with, and the packages that ship them. */
const NOTO = [
  { family: 'Noto Sans CJK SC', pkg: '@fontsource/noto-sans-sc', prefix: 'noto-sans-sc' },
  { family: 'Noto Serif CJK SC', pkg: '@fontsource/noto-serif-sc', prefix: 'noto-serif-sc' },
];

const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
const versionOf = (name: string) =>
  (JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')) as { version: string }).version;

function fontsConf(cache: string): string {
  // fontsource's webfonts call themselves e.g. "Noto Sans SC Thin"; at scan time each file is
  // given the name the tests ask for.
  const rename = NOTO.map(
    ({ family, prefix }) => `  <match target="scan">
    <test name="file" compare="contains"><string>/${prefix}-</string></test>
    <edit name="family" mode="assign_replace"><string>${family}</string></edit>
  </match>`,
  ).join('\n');
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<!-- Written by test/fonts/setup.ts: the test fonts from npm packages, and no system font. -->
<fontconfig>
  <dir>${join(cache, 'ttf')}</dir>
  <dir>${join(packageDir('dejavu-fonts-ttf'), 'ttf')}</dir>
  <cachedir>${join(cache, 'fontconfig')}</cachedir>
${rename}
</fontconfig>
`;
}

/**
 * Makes the fonts the tests render with available from npm packages instead of the system's
 * (Debian's fonts-noto-cjk and fonts-dejavu-core): DejaVu's TTFs as shipped, Noto Sans SC and
 * Noto Serif SC (the same designs as Noto Sans/Serif CJK SC) converted from fontsource's WOFF
 * once into node_modules/.cache, and a fontconfig file that knows only these, under the CJK
 * names the tests ask for. Returns that file's path, for FONTCONFIG_FILE.
 */
export function prepareTestFonts(): string {
  const stamp = NOTO.map((n) => `${n.pkg}@${versionOf(n.pkg)}`).join(' ');
  const cache = join(ROOT, 'node_modules', '.cache', 'teambot-test-fonts');
  const conf = join(cache, 'fonts.conf');
  const stampFile = join(cache, 'stamp');
  if (existsSync(conf) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return conf;
  mkdirSync(join(cache, 'ttf'), { recursive: true });
  for (const { pkg } of NOTO) {
    const files = join(packageDir(pkg), 'files');
    for (const name of readdirSync(files).filter((f) => f.endsWith('-400-normal.woff'))) {
      const sfnt = woffToSfnt(readFileSync(join(files, name)));
      writeFileSync(join(cache, 'ttf', name.replace(/\.woff$/, '.ttf')), sfnt);
    }
  }
  writeFileSync(`${conf}.tmp`, fontsConf(cache));
  renameSync(`${conf}.tmp`, conf);
  writeFileSync(stampFile, stamp);
  return conf;
}

/** Points fontconfig (in this process and its children) at the test fonts. */
export function useTestFonts(): string {
  const conf = prepareTestFonts();
  process.env.FONTCONFIG_FILE = conf;
  return conf;
}
