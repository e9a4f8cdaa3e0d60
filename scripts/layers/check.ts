import { ALLOWED, EXCEPTIONS } from './rules.js';

/** One import between two files of src/ (paths relative to src/, `.ts`). */
export interface ImportEdge {
  from: string;
  to: string;
}

export interface Violation extends ImportEdge {
  fromRoom: string;
  toRoom: string;
}

/** The room of a file: its top-level folder under src/ (`cli.ts` is the cli room). */
export function roomOf(file: string): string {
  if (file === 'cli.ts') return 'cli';
  const slash = file.indexOf('/');
  return slash < 0 ? file.replace(/\.ts$/, '') : file.slice(0, slash);
}

/** Imports that cross rooms against ALLOWED (unknown rooms are violations too). */
export function violations(
  edges: readonly ImportEdge[],
  allowed: Readonly<Record<string, readonly string[]>> = ALLOWED,
  exceptions: Readonly<Record<string, string>> = EXCEPTIONS,
): Violation[] {
  const found: Violation[] = [];
  for (const edge of edges) {
    const fromRoom = roomOf(edge.from);
    const toRoom = roomOf(edge.to);
    if (fromRoom === toRoom) continue;
    if (allowed[fromRoom]?.includes(toRoom) === true) continue;
    if (exceptions[`${edge.from} -> ${edge.to}`] !== undefined) continue;
    found.push({ ...edge, fromRoom, toRoom });
  }
  return found;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]/g;
const DYNAMIC = /import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

/** The relative imports of one source file, as paths relative to src/ with `.ts`. */
export function importsOf(file: string, source: string): string[] {
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  const specs = [...source.matchAll(IMPORT), ...source.matchAll(DYNAMIC)].map((m) => m[1] as string);
  return specs.map((spec) => normalize(dir === '' ? spec : `${dir}/${spec}`).replace(/\.js$/, '.ts'));
}

function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '.' || part === '') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}
