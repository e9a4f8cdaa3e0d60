/**
 * A demo model in a cache folder, generated on first use. Safe when several processes ask at
 * once: each writes into its own temporary folder and renames it into place; a loser of the race
 * deletes its copy and uses the winner's.
 */
import { chmod, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_DEMO_SEED, type DemoArch, type DemoSize, demoSpec, GENERATOR_VERSION } from './spec.js';
import { writeDemoModel } from './write-model.js';

export interface EnsureDemoModelOptions {
  size: DemoSize;
  /** Default 'llama'. */
  arch?: DemoArch;
  cacheDir: string;
  seed?: number;
  onProgress?: (message: string) => void;
}

export function demoModelDirName(
  size: DemoSize,
  seed: number = DEFAULT_DEMO_SEED,
  arch: DemoArch = 'llama',
): string {
  const kind = arch === 'llama' ? '' : `${arch}-`;
  return `teambot-demo-${kind}${size}-s${seed}-v${GENERATOR_VERSION}`;
}

/** Temporary folders older than this are leftovers of a killed process. */
const STALE_TEMP_MS = 60 * 60 * 1000;

async function removeStaleTemps(cacheDir: string, prefix: string): Promise<void> {
  for (const entry of await readdir(cacheDir).catch(() => [] as string[])) {
    if (!entry.startsWith(prefix)) continue;
    const path = join(cacheDir, entry);
    const info = await stat(path).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > STALE_TEMP_MS) await rm(path, { recursive: true, force: true });
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Returns the model directory `<cacheDir>/teambot-demo-<size>-s<seed>-v<version>`. */
export async function ensureDemoModel(options: EnsureDemoModelOptions): Promise<string> {
  const spec = demoSpec(options.size, options.arch);
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new Error(`demo model seed must be a non-negative integer`);
  const name = demoModelDirName(options.size, seed, spec.arch);
  const finalDir = join(options.cacheDir, name);
  if (await isDirectory(finalDir)) return finalDir;

  await mkdir(options.cacheDir, { recursive: true });
  const tempPrefix = `.${name}.tmp-`;
  await removeStaleTemps(options.cacheDir, tempPrefix);
  const tempDir = await mkdtemp(join(options.cacheDir, tempPrefix));
  try {
    const started = Date.now();
    await writeDemoModel(tempDir, spec, seed, options.onProgress);
    await chmod(tempDir, 0o755); // mkdtemp makes it private; the cache is for everyone who can read cacheDir
    try {
      await rename(tempDir, finalDir);
    } catch (error) {
      // Another process renamed its copy first (ENOTEMPTY/EEXIST, EPERM on Windows): use that one.
      if (!(await isDirectory(finalDir))) throw error;
      await rm(tempDir, { recursive: true, force: true });
      return finalDir;
    }
    options.onProgress?.(`demo model ${name} ready in ${Date.now() - started} ms`);
    return finalDir;
  } catch (error) {
    await rm(tempDir, { recursive: true, force: true });
    throw error;
  }
}
