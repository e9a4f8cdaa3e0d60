import { contentObject, str } from './json.js';

/** The `text` of a text message's content (`{"text": "…"}`, a JSON string or parsed); '' when there is none. */
export function textContent(content: unknown): string {
  return str(contentObject(content)?.text);
}
