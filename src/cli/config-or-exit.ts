import { ConfigError, loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';

/** EX_CONFIG from sysexits.h: the configuration is wrong. */
export const EXIT_CONFIG = 78;

/** Reads the environment; on a bad value prints one line per problem and exits (no stack trace). */
export function configOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`teambot: ${error.message}\n`);
    process.exit(EXIT_CONFIG);
  }
}
