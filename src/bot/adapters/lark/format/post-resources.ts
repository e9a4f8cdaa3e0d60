import { isRecord } from '../../../../util/is-record.js';
import { str } from './json.js';
import { postBody } from './post.js';

export interface PostResource {
  kind: 'image' | 'video';
  /** The key for im.v1.messageResource.get: `image_key` for images, `file_key` for videos. */
  key: string;
  /** The resource type for im.v1.messageResource.get: `image` or `file`. */
  type: 'image' | 'file';
}

/** The images (`img`) and videos (`media`) in a post message, in order. */
export function postResources(content: unknown): PostResource[] {
  const resources: PostResource[] = [];
  for (const paragraph of postBody(content)?.content ?? []) {
    for (const element of paragraph) {
      if (!isRecord(element)) continue;
      if (element.tag === 'img' && str(element.image_key) !== '') {
        resources.push({ kind: 'image', key: str(element.image_key), type: 'image' });
      } else if (element.tag === 'media' && str(element.file_key) !== '') {
        resources.push({ kind: 'video', key: str(element.file_key), type: 'file' });
      }
    }
  }
  return resources;
}
