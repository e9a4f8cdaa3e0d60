import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;

export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  /** Everything printed to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout matches (rejects after `timeoutMs` with what was printed). */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  write(line: string): void;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

/** Runs `teambot <args>` from the sources (tsx) in a child process with a clean, temporary DATA_DIR. */
export function runCli(args: string[], env: Record<string, string> = {}): CliProcess {
  const dataDir = mkdtempSync(join(tmpdir(), 'teambot-cli-'));
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.ts'), ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      // The test fonts (test/fonts/setup.ts), for commands that render text.
      ...(process.env.FONTCONFIG_FILE === undefined ? {} : { FONTCONFIG_FILE: process.env.FONTCONFIG_FILE }),
      DATA_DIR: dataDir,
      MODELS_DIR: join(dataDir, 'models'),
      // Offline, like CI: the hub is a closed local port, so pulls fail at once.
      HF_ENDPOINT: 'http://127.0.0.1:9',
      LOG_FORMAT: 'json',
      ...env,
    },
  });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const wake of waiters) wake();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    write: (line) => child.stdin.write(`${line}\n`),
    exited,
    waitForStdout(pattern, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = out.match(pattern);
          if (match === null) return;
          cleanup();
          resolve(match);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern}\nstdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}
