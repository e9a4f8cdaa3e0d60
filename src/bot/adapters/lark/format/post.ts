import { isRecord } from '../../../../util/is-record.js';
import { contentObject, str } from './json.js';

/** The locales tried, in order, when post content is wrapped by language; then any other one. */
const LOCALES = ['zh_cn', 'en_us', 'ja_jp'];

export interface PostBody {
  title: string;
  /** Paragraphs, each a list of elements (`{tag, …}`). */
  content: unknown[][];
}

/**
 * The body of a post (rich text) message: the unwrapped `{title, content}` that im.message.receive_v1
 * delivers, or the first language found in the `{"zh_cn": {title, content}, "en_us": …}` form used for
 * sending. Accepts the JSON string or the parsed object; undefined when it is neither.
 */
export function postBody(content: unknown): PostBody | undefined {
  const object = contentObject(content);
  if (object === undefined) return undefined;
  if (Array.isArray(object.content)) return toBody(object);
  const localized = [...LOCALES.map((locale) => object[locale]), ...Object.values(object)];
  const body = localized.find((value) => isRecord(value) && Array.isArray(value.content));
  return isRecord(body) ? toBody(body) : undefined;
}

function toBody(object: Record<string, unknown>): PostBody {
  const content = Array.isArray(object.content) ? object.content : [];
  return {
    title: str(object.title).trim(),
    content: content.map((paragraph) => (Array.isArray(paragraph) ? paragraph : [paragraph])),
  };
}
