import { readFile, writeFile } from 'node:fs/promises';

/** Replaces the text between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` (appends it when absent). */
export async function writeNamedSection(path: string, name: string, body: string): Promise<void> {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const section = `${start}\n${body.trim()}\n${end}`;
  const current = await readFile(path, 'utf8');
  const from = current.indexOf(start);
  const to = current.indexOf(end, from);
  const next =
    from >= 0 && to >= 0
      ? current.slice(0, from) + section + current.slice(to + end.length)
      : `${current.replace(/\s*$/, '')}\n\n${section}\n`;
  await writeFile(path, next);
}
