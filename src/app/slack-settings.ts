import { readFile } from 'node:fs/promises';
import { hasCode } from '../util/system-error.js';

export interface SlackSettings {
  /** Whether messages that other bots post are answered (permissions.json → slack.answerBots). */
  answerBots: boolean;
}

/**
 * The Slack section of the permissions file. A missing file means the defaults; an unreadable or
 * malformed one is an error naming the file (the permissions release validates the whole file).
 */
export async function readSlackSettings(path: string): Promise<SlackSettings> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return { answerBots: false };
    throw new Error(`Cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const slack = (parsed as { slack?: { answerBots?: unknown } } | null)?.slack;
  if (slack?.answerBots !== undefined && typeof slack.answerBots !== 'boolean') {
    throw new Error(`${path}: slack.answerBots should be true or false.`);
  }
  return { answerBots: slack?.answerBots === true };
}
