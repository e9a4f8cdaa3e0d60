import type { ObjectMetadata } from '../object/types.js';
import type { ImageFacts, MediaKind, MediaOrigin, VideoFacts } from './types.js';

/** Longest original name kept in metadata (characters). */
const MAX_NAME = 200;

/** One line of at most MAX_NAME characters, without control characters. */
export function displayName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const line = name.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  const chars = [...line];
  return chars.length > MAX_NAME ? `${chars.slice(0, MAX_NAME - 1).join('')}…` : line || 'unnamed';
}

export interface MetadataInput {
  origin: MediaOrigin;
  name: string;
  kind: MediaKind;
  contentType: string;
  size: number;
  sha256: string;
  image?: ImageFacts | undefined;
  video?: VideoFacts | undefined;
}

/**
 * What is stored beside each object. Values may hold any text (the stores encode them so that
 * S3's headers stay valid); keys are lower-case, as S3 returns them.
 */
export function mediaMetadata(input: MetadataInput): ObjectMetadata {
  const { origin, image, video } = input;
  return {
    platform: origin.platform,
    workspace: origin.workspace,
    chat: origin.chat,
    user: origin.user,
    'original-name': displayName(input.name),
    kind: input.kind,
    'detected-type': input.contentType,
    size: String(input.size),
    sha256: input.sha256,
    created: new Date().toISOString(),
    ...(image === undefined
      ? {}
      : { width: String(image.width), height: String(image.height), pages: String(image.pages) }),
    ...(video === undefined
      ? {}
      : {
          width: String(video.width),
          height: String(video.height),
          duration: video.durationSeconds.toFixed(3),
          codec: video.codec,
        }),
  };
}
