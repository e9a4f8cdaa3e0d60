import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ObjectStore } from '../object/types.js';
import { ObjectStoreError } from '../object/types.js';
import type { MediaBinaries } from './binaries.js';
import { MediaError, NoVideoStreamError } from './errors.js';
import { processImage } from './image.js';
import { keysFromId, type MediaKeys, mediaKeys } from './keys.js';
import { displayName, mediaMetadata } from './metadata.js';
import { deleteKeyframes, readStoredImage, type StoredImageRef, storeModelImages } from './model-images.js';
import { type Spooled, spool, tooLarge } from './spool.js';
import type { IngestedMedia, MediaKind, MediaLimits, MediaOrigin, MediaSource } from './types.js';
import { processVideo } from './video.js';

export interface MediaServiceOptions {
  objects: ObjectStore;
  limits: MediaLimits;
  /** Found lazily on the first video when not given (findMediaBinaries). */
  binaries: () => MediaBinaries;
}

function storageError(error: unknown): MediaError {
  const wrapped = new MediaError(
    'unavailable',
    'Storage is unavailable right now, so I could not keep it. Please send it again later.',
  );
  wrapped.cause = error;
  return wrapped;
}

/** The contents to store for one ingested attachment. */
interface Prepared {
  kind: MediaKind;
  contentType: string;
  extension: string;
  /** Buffer (sanitized image) or the spooled file as it came. */
  body: Buffer | 'spooled';
  size: number;
  preview?: Uint8Array;
  partial: Pick<IngestedMedia, 'image' | 'video' | 'data' | 'keyframes'>;
}

/**
 * Ingest: download → temp file (type sniffed, size capped while streaming, hashed) → per-kind
 * processing (images sanitized by sharp; videos probed and sampled by ffmpeg; audio and files as
 * they are) → the object store under a content-addressed key. Nothing reaches the store before
 * the media passed every check; the same bytes twice are stored once.
 */
export class MediaService {
  constructor(private readonly options: MediaServiceOptions) {}

  get limits(): MediaLimits {
    return this.options.limits;
  }

  async ingest(source: MediaSource, origin: MediaOrigin, signal?: AbortSignal): Promise<IngestedMedia> {
    const { maxBytes } = this.options.limits;
    const largest = Math.max(...Object.values(maxBytes));
    if (source.size !== undefined && source.size > largest) throw tooLarge('file', largest);
    let stream: Awaited<ReturnType<MediaSource['open']>>;
    try {
      stream = await source.open(signal);
    } catch (error) {
      const wrapped = new MediaError('download_failed', 'I could not download it from the chat.');
      wrapped.cause = error;
      throw wrapped;
    }
    const spooled = await spool(stream, maxBytes, signal);
    try {
      const prepared = await this.#prepare(spooled, signal);
      const keys = mediaKeys(origin, spooled.sha256);
      const stored = await this.#store(keys, spooled, prepared, origin, source.name);
      return {
        id: keys.id,
        key: keys.object,
        kind: prepared.kind,
        name: displayName(source.name),
        contentType: prepared.contentType,
        extension: prepared.extension,
        size: prepared.size,
        sha256: spooled.sha256,
        stored,
        ...(prepared.preview === undefined ? {} : { previewKey: keys.preview, preview: prepared.preview }),
        ...prepared.partial,
      };
    } finally {
      await spooled.remove();
    }
  }

  /** A link that reads the object without credentials for `seconds`. */
  async link(key: string, seconds: number): Promise<string> {
    try {
      return await this.options.objects.signedUrl(key, seconds);
    } catch (error) {
      throw error instanceof ObjectStoreError && error.code === 'unavailable' ? storageError(error) : error;
    }
  }

  /** Deletes the object behind a media id, its preview and its keyframes; false when there was none. */
  async delete(id: string): Promise<boolean | 'invalid'> {
    const keys = keysFromId(id);
    if (keys === undefined) return 'invalid';
    try {
      const deleted = await this.options.objects.delete(keys.object);
      const preview = await this.options.objects.delete(keys.preview);
      const frames = await deleteKeyframes(this.options.objects, keys.object);
      return deleted || preview || frames;
    } catch (error) {
      throw error instanceof ObjectStoreError && error.code === 'unavailable' ? storageError(error) : error;
    }
  }

  /**
   * What a model that sees is given of stored media, by reference: the sanitized image, or the video's
   * keyframes (stored beside it on first use). Audio and files: none.
   */
  async modelImages(media: IngestedMedia): Promise<StoredImageRef[]> {
    return this.#storage(() => storeModelImages(this.options.objects, media));
  }

  /** A stored image's bytes (MEDIA_MAX_IMAGE_MB at most), or undefined when it is gone. */
  async readImage(key: string): Promise<Buffer | undefined> {
    return this.#storage(() =>
      readStoredImage(this.options.objects, key, this.options.limits.maxBytes.image),
    );
  }

  async #storage<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw error instanceof ObjectStoreError && error.code === 'unavailable' ? storageError(error) : error;
    }
  }

  async #prepare(spooled: Spooled, signal?: AbortSignal): Promise<Prepared> {
    const { type } = spooled;
    const { limits } = this.options;
    if (type.kind === 'image') {
      // Images are capped small (MEDIA_MAX_IMAGE_MB): one read serves the header check and both encodes.
      const image = await processImage(await readFile(spooled.path), type, limits);
      return {
        kind: 'image',
        contentType: image.contentType,
        extension: image.extension,
        body: image.data,
        size: image.data.length,
        preview: image.preview,
        partial: { image: image.facts, data: image.data },
      };
    }
    const video =
      type.kind === 'video'
        ? await processVideo(spooled.path, this.options.binaries(), limits, signal).catch(
            (error: unknown) => {
              if (error instanceof NoVideoStreamError) return undefined; // sound only: stored as audio
              throw error;
            },
          )
        : undefined;
    if (video !== undefined) {
      return {
        kind: 'video',
        contentType: type.mime,
        extension: type.extension,
        body: 'spooled',
        size: spooled.size,
        preview: video.poster,
        partial: { video: video.facts, keyframes: video.keyframes },
      };
    }
    const soundOnly = type.kind === 'video';
    return {
      kind: soundOnly ? 'audio' : type.kind,
      contentType: soundOnly ? type.mime.replace(/^video\//, 'audio/') : type.mime,
      extension: type.extension,
      body: 'spooled',
      size: spooled.size,
      partial: {},
    };
  }

  /** Stores the object (unless the same bytes are there already) and its preview; true when written. */
  async #store(
    keys: MediaKeys,
    spooled: Spooled,
    prepared: Prepared,
    origin: MediaOrigin,
    name: string,
  ): Promise<boolean> {
    const { objects } = this.options;
    const metadata = mediaMetadata({
      origin,
      name,
      kind: prepared.kind,
      contentType: prepared.contentType,
      size: prepared.size,
      sha256: spooled.sha256,
      image: prepared.partial.image,
      video: prepared.partial.video,
    });
    try {
      let wrote = false;
      if ((await objects.head(keys.object)) === null) {
        const body = prepared.body === 'spooled' ? createReadStream(spooled.path) : prepared.body;
        await objects.put(keys.object, body, {
          contentType: prepared.contentType,
          metadata,
          maxBytes: this.options.limits.maxBytes[prepared.kind],
        });
        wrote = true;
      }
      if (prepared.preview !== undefined && (await objects.head(keys.preview)) === null) {
        try {
          await objects.put(keys.preview, prepared.preview, { contentType: 'image/webp', metadata });
        } catch (error) {
          // An object without its preview would be half of what was promised: take it back.
          if (wrote) await objects.delete(keys.object).catch(() => undefined);
          throw error;
        }
      }
      return wrote;
    } catch (error) {
      throw error instanceof ObjectStoreError && error.code === 'unavailable' ? storageError(error) : error;
    }
  }
}
