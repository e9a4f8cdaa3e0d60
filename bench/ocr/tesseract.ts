import { execFileSync, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const TESSERACT_PACKAGES = ['tesseract-ocr', 'tesseract-ocr-eng', 'tesseract-ocr-chi-sim'];

function languages(): string[] | undefined {
  try {
    const out = execFileSync('tesseract', ['--list-langs'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return out
      .split('\n')
      .slice(1)
      .map((l) => l.trim());
  } catch {
    return undefined;
  }
}

/** Makes sure tesseract with eng and chi_sim is there; installs Debian's packages when missing (root only). */
export function ensureTesseract(log: (line: string) => void): string {
  const have = languages();
  if (have === undefined || !have.includes('eng') || !have.includes('chi_sim')) {
    if (process.getuid?.() !== 0) {
      throw new Error(
        `tesseract with eng and chi_sim is missing: apt-get install ${TESSERACT_PACKAGES.join(' ')}`,
      );
    }
    log(`bench:ocr: installing ${TESSERACT_PACKAGES.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...TESSERACT_PACKAGES], {
      stdio: 'inherit',
      env,
    });
  }
  return execFileSync('tesseract', ['--version'], { encoding: 'utf8' }).split('\n')[0] ?? 'tesseract';
}

/**
 * Runs one tesseract process over a list of images (its batch mode: a text file of paths), so the
 * language data loads once; pages come back separated by form feeds. Returns the texts and the
 * wall time of the whole process.
 */
export async function tesseractBatch(
  dir: string,
  files: string[],
  language: string,
  threads: number,
): Promise<{ texts: string[]; ms: number }> {
  const list = join(dir, `list-${language}.txt`);
  await writeFile(list, `${files.join('\n')}\n`);
  const env = { ...process.env, OMP_THREAD_LIMIT: String(threads) };
  const start = performance.now();
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn('tesseract', [list, 'stdout', '-l', language], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(chunks).toString('utf8'));
      else reject(new Error(`tesseract exited with ${code}: ${stderr.slice(0, 300)}`));
    });
  });
  const ms = performance.now() - start;
  const pages = stdout.split('\f');
  return { texts: files.map((_, i) => (pages[i] ?? '').trim()), ms };
}
