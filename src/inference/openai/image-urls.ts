import type { ObjectStore } from '../../storage/object/types.js';
import { sha256Hex } from '../../util/sha256.js';
import type { ImageInput } from '../types.js';

/** How an image is handed to an OpenAI-compatible server: the `url` of an `image_url` part. */
export type ImageUrlOf = (image: ImageInput) => Promise<string>;

/** The image inline, as a `data:` URL (works with every server; makes the request body large). */
export const dataUrl: ImageUrlOf = async (image) =>
  `data:${image.mimeType};base64,${Buffer.from(image.data).toString('base64')}`;

/**
 * A presigned GET link to the stored copy (the server downloads it itself): the object the bot stored
 * when the image has an `objectKey`, else the bytes are stored once under `vision/<sha256>` first.
 */
export function presignedUrls(objects: ObjectStore, ttlSeconds: number): ImageUrlOf {
  return async (image) => {
    let key = image.objectKey;
    if (key === undefined) {
      key = `vision/${sha256Hex(image.data)}`;
      if ((await objects.head(key)) === null)
        await objects.put(key, image.data, {
          contentType: image.mimeType,
          metadata: { kind: 'vision-input' },
        });
    }
    return objects.signedUrl(key, ttlSeconds);
  };
}
