/**
 * One side of the benchmark in its own Node process, so each side's peak RSS is its own. The parent
 * sends requests on its stdin and reads the answers from its stdout (see protocol.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { RESULT_MARKER, type Request } from './protocol.js';

interface Pending {
  resolve: (reply: unknown) => void;
  reject: (error: Error) => void;
}

export class SideProcess {
  private readonly child: ChildProcess;
  private readonly pending: Pending[] = [];
  private exited: Error | undefined;
  private readonly closed: Promise<number | null>;

  constructor(
    repoRoot: string,
    private readonly script: string,
    job: object,
  ) {
    this.child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(job)], {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const stdout = this.child.stdout;
    if (stdout === null) throw new Error(`${script}: no stdout pipe`);
    const lines = createInterface({ input: stdout });
    lines.on('line', (line) => {
      if (line.startsWith(RESULT_MARKER)) {
        this.pending.shift()?.resolve(JSON.parse(line.slice(RESULT_MARKER.length)));
      } else if (line.trim() !== '') {
        // Whatever else a library prints goes to stderr: stdout carries only the benchmark's JSON line.
        process.stderr.write(`[${script}] ${line}\n`);
      }
    });
    const linesDone = new Promise<void>((resolve) => lines.once('close', resolve));
    const exit = new Promise<number | null>((resolve) => {
      this.child.once('error', (error) => {
        this.fail(error);
        resolve(null);
      });
      this.child.once('close', (code) => resolve(code));
    });
    this.closed = Promise.all([exit, linesDone]).then(([code]) => {
      this.fail(new Error(`${script} exited with code ${code} before answering`));
      return code;
    });
  }

  private fail(error: Error): void {
    this.exited ??= error;
    for (const p of this.pending.splice(0)) p.reject(error);
  }

  /** Sends one request and waits for its answer. */
  request<T>(request: Request): Promise<T> {
    if (this.exited !== undefined) return Promise.reject(this.exited);
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ resolve: (reply) => resolve(reply as T), reject });
      this.child.stdin?.write(`${JSON.stringify(request)}\n`);
    });
  }

  /** Asks the child to finish and waits for its exit; the answer is its last words. */
  async finish<T>(): Promise<T> {
    const reply = await this.request<T>({ kind: 'finish' });
    this.child.stdin?.end();
    const code = await this.closed;
    if (code !== 0) throw new Error(`${this.script} exited with code ${code}`);
    return reply;
  }

  /** Ends the child after a failure elsewhere. */
  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}
