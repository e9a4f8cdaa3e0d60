import { type FSWatcher, watch } from 'node:fs';
import { access } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Logger } from '../../log/logger.js';
import { hasCode } from '../../util/system-error.js';
import { BUILT_IN_PERMISSIONS } from './defaults.js';
import { PermissionsFileError } from './errors.js';
import { loadPermissions } from './load.js';
import type { PermissionsFile } from './schema.js';

export interface PermissionsSourceOptions {
  file: string;
  logger: Logger;
  /** Reload when the file changes (fs.watch on its directory, debounced). Default true. */
  watch?: boolean;
  /** Reload on SIGHUP. Default true. */
  sighup?: boolean;
  debounceMs?: number;
}

/**
 * The permissions file as currently loaded. A bad file at start-up throws (PermissionsFileError
 * lists each problem with its JSON path); a bad file on reload is logged and the old one kept.
 */
export class PermissionsSource {
  #current: PermissionsFile;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #onHup: (() => void) | undefined;
  #reloads = 0;

  private constructor(
    private readonly options: PermissionsSourceOptions,
    initial: PermissionsFile,
  ) {
    this.#current = initial;
  }

  static async open(options: PermissionsSourceOptions): Promise<PermissionsSource> {
    let initial: PermissionsFile;
    if (await exists(options.file)) initial = await loadPermissions(options.file);
    else {
      options.logger.warn(
        { file: options.file },
        'permissions file not found: built-in roles, no limits (creating the file loads it)',
      );
      initial = BUILT_IN_PERMISSIONS;
    }
    const source = new PermissionsSource(options, initial);
    if (options.watch ?? true) source.#watch();
    if (options.sighup ?? true) {
      source.#onHup = () => void source.reload('SIGHUP');
      process.on('SIGHUP', source.#onHup);
    }
    return source;
  }

  /** A source over a fixed file content (tests, `teambot chat` without a file). */
  static fixed(file: PermissionsFile, logger: Logger): PermissionsSource {
    return new PermissionsSource({ file: '(built in)', logger, watch: false, sighup: false }, file);
  }

  get file(): string {
    return this.options.file;
  }

  /** How many reloads were applied (for tests and logs). */
  get reloads(): number {
    return this.#reloads;
  }

  current(): PermissionsFile {
    return this.#current;
  }

  /** Re-reads the file; true when the new content was applied. */
  async reload(reason = 'requested'): Promise<boolean> {
    const { logger, file } = this.options;
    try {
      this.#current = await loadPermissions(file);
      this.#reloads += 1;
      logger.info({ file, reason }, 'permissions reloaded');
      return true;
    } catch (error) {
      const problems = error instanceof PermissionsFileError ? error.problems : undefined;
      logger.error(
        { file, reason, problems, err: problems === undefined ? error : undefined },
        `permissions file not reloaded, keeping the previous one: ${(error as Error).message}`,
      );
      return false;
    }
  }

  close(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#onHup !== undefined) process.off('SIGHUP', this.#onHup);
    this.#onHup = undefined;
  }

  #watch(): void {
    const name = basename(this.options.file);
    const debounceMs = this.options.debounceMs ?? 200;
    try {
      // The directory, not the file: editors and `mv` replace the file, which ends a file watch.
      this.#watcher = watch(dirname(this.options.file), (_event, changed) => {
        if (changed !== null && changed !== name) return;
        if (this.#timer !== undefined) clearTimeout(this.#timer);
        this.#timer = setTimeout(() => void this.reload('file changed'), debounceMs);
        this.#timer.unref();
      });
      this.#watcher.unref();
      this.#watcher.on('error', (error) =>
        this.options.logger.warn(
          { err: error },
          'cannot watch the permissions file; SIGHUP still reloads it',
        ),
      );
    } catch (error) {
      this.options.logger.warn({ err: error }, 'cannot watch the permissions file; SIGHUP still reloads it');
    }
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return false;
    throw error;
  }
}
