import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';
import { isColorSupported, prettyFactory } from 'pino-pretty';
import { createKeyRedactor, redactPaths } from './redact.js';
import { createScrubber, REDACTED } from './scrub.js';

export type { Logger } from 'pino';

export type LogFormat = 'auto' | 'json' | 'pretty';

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** 'auto' is pretty when stdout is a TTY, JSON otherwise. */
  format?: LogFormat;
  /** Configured secret values; they are replaced with '[redacted]' wherever they appear. */
  secrets?: ReadonlyArray<string | undefined>;
  /** Where lines go (default: stdout). */
  destination?: DestinationStream;
  /** Overrides the TTY detection used by format 'auto'. */
  isTty?: boolean;
  /** More field names whose values are secrets (the config's secret setting names), redacted by key. */
  secretKeys?: readonly string[];
  /** Fields added to every line (e.g. `{ name: 'teambot' }`). */
  base?: Record<string, unknown>;
  /** Fields computed for each line (the active trace's ids). */
  mixin?: () => Record<string, unknown>;
}

/**
 * The one logger factory. JSON lines by default; pino-pretty (synchronous, in
 * this thread) for 'pretty', or 'auto' on a TTY. Secrets are removed twice:
 * by key (pino redact for fixed paths, plus a walk of each logged object for
 * secret-named keys at any depth up to four levels) and by value on the
 * finished line (token shapes and every configured secret), which also covers
 * messages, child bindings and error stacks.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const { level = 'info', format = 'auto', secrets = [], destination } = options;
  const scrub = createScrubber(secrets);
  const pretty =
    format === 'pretty' || (format === 'auto' && (options.isTty ?? process.stdout.isTTY === true));
  const stream = pretty ? prettyStream(destination) : destination;
  const settings = {
    level,
    ...(options.base === undefined ? {} : { base: options.base }),
    ...(options.mixin === undefined ? {} : { mixin: options.mixin }),
    redact: { paths: redactPaths(options.secretKeys), censor: REDACTED },
    formatters: { log: createKeyRedactor(REDACTED, options.secretKeys) },
    hooks: { streamWrite: scrub },
  };
  return stream === undefined ? pino(settings) : pino(settings, stream);
}

/** pino-pretty in this thread: each JSON line is formatted and written synchronously. */
function prettyStream(destination: DestinationStream | undefined): DestinationStream {
  const target = destination ?? pino.destination({ fd: 1, sync: true });
  const format = prettyFactory({
    colorize: destination === undefined && isColorSupported,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
  });
  return { write: (line: string) => target.write(format(line)) };
}
