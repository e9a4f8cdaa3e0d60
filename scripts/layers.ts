/**
 * `npm run layers`: fails when an import between the rooms of src/ runs against the direction in
 * scripts/layers/rules.ts (part of `npm test`).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { type ImportEdge, importsOf, violations } from './layers/check.js';

const SRC = new URL('../src/', import.meta.url).pathname;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory() ? sourceFiles(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]),
    ),
  );
  return nested.flat().filter((f) => f.endsWith('.ts'));
}

const edges: ImportEdge[] = [];
for (const path of await sourceFiles(SRC)) {
  const from = relative(SRC, path);
  for (const to of importsOf(from, await readFile(path, 'utf8'))) edges.push({ from, to });
}
const found = violations(edges);
for (const v of found) {
  process.stderr.write(`layers: ${v.from} (${v.fromRoom}) imports ${v.to} (${v.toRoom}): not allowed\n`);
}
if (found.length > 0) {
  process.stderr.write('layers: the allowed directions are in scripts/layers/rules.ts\n');
  process.exit(1);
}
process.stdout.write(`layers: ${edges.length} imports in src/ follow scripts/layers/rules.ts\n`);
