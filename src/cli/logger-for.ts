import type { Config } from '../config/schema.js';
import { SECRET_SETTINGS } from '../config/schema.js';
import { configSecrets } from '../config/secrets.js';
import { createLogger, type LoggerOptions } from '../log/logger.js';
import { traceLogFields } from '../tracing/spans.js';
import { tracingOn } from '../tracing/state.js';

const NONE = {};

/**
 * The process logger: level and format from config, every configured secret scrubbed, and with
 * tracing on the active span's `trace_id` and `span_id` on each line.
 */
export function loggerFor(config: Config, overrides: Partial<LoggerOptions> = {}) {
  return createLogger({
    level: config.LOG_LEVEL,
    format: config.LOG_FORMAT,
    secrets: configSecrets(config),
    secretKeys: SECRET_SETTINGS,
    base: { name: 'teambot' },
    mixin: () => (tracingOn() ? traceLogFields() : NONE),
    ...overrides,
  });
}
