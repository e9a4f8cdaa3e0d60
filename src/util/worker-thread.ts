import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running the module at `entry`. Compiled builds run the `.js` file as it is; run
 * from the sources (tsx, vitest), a `.ts` entry is loaded through tsx's loader, registered inside
 * the new thread first (a worker does not inherit the parent's loader hooks on Node 20).
 */
export function startWorkerThread(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  // The package's ESM build sits beside the CommonJS one that require.resolve finds.
  const api = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const tsx = pathToFileURL(api).href;
  const boot = [
    `import(${JSON.stringify(tsx)})`,
    `.then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); })`,
    '.catch((error) => { process.nextTick(() => { throw error; }); });',
  ].join('');
  return new Worker(boot, { ...options, eval: true });
}

/** The module `name` beside the caller's (`.ts` in the sources, `.js` when compiled). */
export function siblingModule(callerUrl: string, name: string): URL {
  const extension = new URL(callerUrl).pathname.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${extension}`, callerUrl);
}

/**
 * Asks a worker thread to close (`closeMessage`, after which it ends itself) and waits for it to
 * exit; past `timeoutMs` it is terminated.
 */
export async function closeWorkerThread(
  worker: Worker,
  closeMessage: unknown,
  timeoutMs = 5_000,
): Promise<void> {
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.postMessage(closeMessage);
  const timer = setTimeout(() => void worker.terminate(), timeoutMs);
  await exited;
  clearTimeout(timer);
}
