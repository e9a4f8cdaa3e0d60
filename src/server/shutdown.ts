import type { Logger } from '../log/logger.js';
import { withTimeout } from '../util/timeout.js';

/** The time left to a shutdown step. */
export interface Deadline {
  /** Epoch ms by which the whole shutdown must be over. */
  at: number;
  remainingMs(): number;
  /** Aborted when the deadline passes. */
  signal: AbortSignal;
}

/** One stage of shutdown, e.g. stop accepting, drain in-flight replies, close stores. */
export interface ShutdownStep {
  name: string;
  run: (deadline: Deadline) => Promise<void>;
}

/** The parts of `process` shutdown listens on (injectable for tests). */
export interface ProcessEvents {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

export interface ShutdownOptions {
  logger: Logger;
  /** Time for all steps together (SHUTDOWN_TIMEOUT_MS). */
  deadlineMs: number;
  steps: ShutdownStep[];
  /** Default: process.exit. */
  exit?: (code: number) => void;
  /** Default: process. */
  events?: ProcessEvents;
  signals?: string[];
}

export interface ShutdownHandle {
  /** Runs the steps and exits, as a signal would; later calls return the same run. */
  shutdown(reason: string): Promise<number>;
  /** Removes every listener installShutdown added. */
  dispose(): void;
}

/**
 * On SIGTERM/SIGINT runs the steps in order, each bounded by the time left,
 * then exits 0 (1 if a step failed, timed out or was skipped). A second signal
 * exits at once. Unhandled rejections are logged; an uncaught exception is
 * logged and exits 1.
 */
export function installShutdown(options: ShutdownOptions): ShutdownHandle {
  const { logger, deadlineMs, steps } = options;
  const events = options.events ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let running: Promise<number> | undefined;

  const shutdown = (reason: string): Promise<number> => {
    running ??= runSteps(steps, deadlineMs, logger, reason).then((code) => {
      logger.flush();
      exit(code);
      return code;
    });
    return running;
  };

  const listeners: Array<[string, (...args: unknown[]) => void]> = [
    ...(options.signals ?? ['SIGTERM', 'SIGINT']).map((signal): [string, () => void] => [
      signal,
      () => {
        if (running === undefined) return void shutdown(signal);
        logger.warn({ signal }, 'second signal during shutdown; exiting now');
        logger.flush();
        exit(1);
      },
    ]),
    ['unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection')],
    [
      'uncaughtException',
      (error) => {
        logger.fatal({ err: error }, 'uncaught exception; exiting');
        logger.flush();
        exit(1);
      },
    ],
  ];
  for (const [event, listener] of listeners) events.on(event, listener);

  return {
    shutdown,
    dispose: () => {
      for (const [event, listener] of listeners) events.off(event, listener);
    },
  };
}

async function runSteps(steps: ShutdownStep[], deadlineMs: number, logger: Logger, reason: string) {
  const at = Date.now() + deadlineMs;
  const controller = new AbortController();
  const expire = () => controller.abort(new Error('shutdown deadline passed'));
  const timer = setTimeout(expire, deadlineMs);
  const deadline: Deadline = {
    at,
    remainingMs: () => Math.max(0, at - Date.now()),
    signal: controller.signal,
  };
  logger.info({ reason, deadlineMs, steps: steps.map((s) => s.name) }, 'shutting down');
  let failed = false;
  for (const step of steps) {
    const remaining = deadline.remainingMs();
    if (remaining <= 0 || controller.signal.aborted) {
      failed = true;
      logger.error({ step: step.name }, 'shutdown step skipped: no time left');
      continue;
    }
    const started = Date.now();
    const outcome = await withTimeout(() => step.run(deadline), remaining);
    const ms = Date.now() - started;
    if (outcome.kind === 'done') logger.info({ step: step.name, ms }, 'shutdown step done');
    else {
      failed = true;
      if (outcome.kind === 'timeout') {
        // The step had all the time left, so the deadline has passed: say so and skip the rest.
        expire();
        logger.error({ step: step.name, ms }, 'shutdown step timed out');
      } else logger.error({ step: step.name, ms, err: outcome.error }, 'shutdown step failed');
    }
  }
  clearTimeout(timer);
  const code = failed ? 1 : 0;
  logger.info({ code }, 'shutdown complete');
  return code;
}
