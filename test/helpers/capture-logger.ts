import { pino } from 'pino';
import type { Logger } from '../../src/log/logger.js';

export interface CapturedLogger {
  logger: Logger;
  lines: Array<Record<string, unknown>>;
  /** Lines at `level` (pino's label, e.g. 'error'). */
  at(level: 'debug' | 'info' | 'warn' | 'error'): Array<Record<string, unknown>>;
}

const LEVELS = { debug: 20, info: 30, warn: 40, error: 50 } as const;

/** A real pino logger whose JSON lines are kept in memory for assertions. */
export function captureLogger(): CapturedLogger {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'debug' },
    {
      write(line: string) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  return { logger, lines, at: (level) => lines.filter((l) => l.level === LEVELS[level]) };
}
