import { readFile } from 'node:fs/promises';
import { hasCode } from '../util/system-error.js';

export interface PlatformSettings {
  /** Whether messages that other bots post are answered (permissions.json → <platform>.answerBots). */
  answerBots: boolean;
}

export interface AllPlatformSettings {
  slack: PlatformSettings;
  lark: PlatformSettings;
}

const DEFAULTS: AllPlatformSettings = { slack: { answerBots: false }, lark: { answerBots: false } };

type Sections = Record<string, { answerBots?: unknown } | undefined>;

/** `platforms.<name>` (the permissions file's layout), or a top-level `<name>` as older files had it. */
function section(path: string, parsed: unknown, name: keyof AllPlatformSettings): PlatformSettings {
  const file = parsed as (Sections & { platforms?: Sections }) | null;
  const nested = file?.platforms?.[name];
  const value = nested ?? file?.[name];
  const where = nested === undefined ? name : `platforms.${name}`;
  if (value?.answerBots !== undefined && typeof value.answerBots !== 'boolean') {
    throw new Error(`${path}: ${where}.answerBots should be true or false.`);
  }
  return { answerBots: value?.answerBots === true };
}

/**
 * The platform sections of the permissions file. A missing file means the defaults; an unreadable
 * or malformed one is an error naming the file (the permissions release validates the whole file).
 */
export async function readPlatformSettings(path: string): Promise<AllPlatformSettings> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return DEFAULTS;
    throw new Error(`Cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return { slack: section(path, parsed, 'slack'), lark: section(path, parsed, 'lark') };
}
