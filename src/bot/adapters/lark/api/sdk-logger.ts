import { LoggerLevel, type Logger as SdkLogger } from '@larksuiteoapi/node-sdk';
import type { Logger } from '../../../../log/logger.js';

type Level = 'debug' | 'info' | 'warn';

/**
 * The SDK's logger interface over our pino logger. The SDK passes its arguments as one array; an
 * Error among them is logged as `err`. The SDK's own error lines (every failed call, which the
 * adapter also reports in context and often handles with a fallback) are written as warnings.
 */
export function sdkLogger(logger: Logger): SdkLogger {
  const write =
    (level: Level) =>
    (...args: unknown[]): void => {
      const parts = args.flat();
      const err = parts.find((p) => p instanceof Error);
      const text = parts
        .filter((p) => p !== err)
        .map((p) => (typeof p === 'string' ? p : safeJson(p)))
        .join(' ');
      if (err === undefined) logger[level](text);
      else logger[level]({ err }, text === '' ? (err as Error).message : text);
    };
  return {
    error: write('warn'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    trace: write('debug'),
  };
}

/** The SDK's level from pino's: its info lines ("client ready") only at debug. */
export function sdkLoggerLevel(logger: Logger): LoggerLevel {
  return logger.level === 'debug' || logger.level === 'trace' ? LoggerLevel.debug : LoggerLevel.warn;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
