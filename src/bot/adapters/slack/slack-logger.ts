import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../../log/logger.js';

type Level = 'debug' | 'info' | 'warn' | 'error';

/** Bolt's and the Web API client's logger interface over our pino logger (level comes from pino). */
export function slackLogger(logger: Logger): SlackLogger {
  const write =
    (level: Level) =>
    (...parts: unknown[]): void => {
      const err = parts.find((p) => p instanceof Error);
      const text = parts
        .filter((p) => p !== err)
        .map((p) => (typeof p === 'string' ? p : JSON.stringify(p)))
        .join(' ');
      if (err === undefined) logger[level](text);
      else logger[level]({ err }, text === '' ? (err as Error).message : text);
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: () => {},
    getLevel: () => levelOf(logger.level),
    setName: () => {},
  };
}

function levelOf(level: string): LogLevel {
  if (level === 'trace' || level === 'debug') return LogLevel.DEBUG;
  if (level === 'info') return LogLevel.INFO;
  if (level === 'warn') return LogLevel.WARN;
  return LogLevel.ERROR;
}
