import { splitAtSafePoints } from '../../shared/format/split.js';
import { SLACK_TEXT_LIMIT } from './limits.js';

/** Splits a Slack message at safe points (shared/format/split.ts) within Slack's text limit. */
export function splitMessage(text: string, limit: number = SLACK_TEXT_LIMIT): string[] {
  return splitAtSafePoints(text, limit);
}
