import { isRecord } from '../../../../util/is-record.js';

export { isRecord };
/** Message `content` as Lark sends it: a JSON string, or an object already parsed. Undefined otherwise. */
export function contentObject(content: unknown): Record<string, unknown> | undefined {
  let value = content;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return isRecord(value) ? value : undefined;
}

/** The value when it is a string, else ''. */
export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
