import type { Readable } from 'node:stream';

export type MediaKind = 'image' | 'video' | 'audio' | 'file';

/** Where a piece of media came from; ids are platform ids (never used as path segments as they are). */
export interface MediaOrigin {
  platform: string;
  workspace: string;
  chat: string;
  user: string;
}

/** Something to ingest: the platform attachment (its name is display-only, never trusted). */
export interface MediaSource {
  name: string;
  /** The size the platform announced, if any: a bigger one is refused before downloading. */
  size?: number | undefined;
  open(signal?: AbortSignal): Promise<ReadableStream<Uint8Array> | Readable>;
}

export interface MediaLimits {
  /** Bytes per kind (MEDIA_MAX_*_MB), enforced while the download streams. */
  maxBytes: Record<MediaKind, number>;
  /** sharp's limitInputPixels (width × height, per frame). */
  maxImagePixels: number;
  maxVideoSeconds: number;
  /** Most keyframes sampled from a video (at 1 per second; spread over longer videos). */
  maxKeyframes: number;
  /** A ffmpeg or ffprobe run longer than this is killed (SIGKILL). */
  ffmpegTimeoutMs: number;
  /** Longer side of thumbnails, posters and keyframes' thumbnails. */
  thumbnailSize: number;
}

export const MB = 1024 * 1024;

export const DEFAULT_MEDIA_LIMITS: MediaLimits = {
  maxBytes: { image: 20 * MB, video: 200 * MB, audio: 50 * MB, file: 50 * MB },
  maxImagePixels: 50_000_000,
  maxVideoSeconds: 600,
  maxKeyframes: 30,
  ffmpegTimeoutMs: 120_000,
  thumbnailSize: 320,
};

/** A video frame sampled at `timestampMs`, as WebP (what OCR reads). */
export interface VideoKeyframe {
  timestampMs: number;
  image: Uint8Array;
}

export interface ImageFacts {
  width: number;
  height: number;
  /** Frames (1 for still images). */
  pages: number;
  animated: boolean;
}

export interface VideoFacts {
  durationSeconds: number;
  codec: string;
  width: number;
  height: number;
  audioCodec?: string | undefined;
}

/** What ingesting one attachment produced. */
export interface IngestedMedia {
  /** The id `/media-delete` takes: `<platform>.<ws>.<chat>.<sha256>`. */
  id: string;
  key: string;
  kind: MediaKind;
  /** Display name as the user gave it (never a path). */
  name: string;
  /** The type sniffed from the content, e.g. image/png. */
  contentType: string;
  /** The file extension for that type, e.g. png. */
  extension: string;
  /** Bytes as stored (images: after sanitizing). */
  size: number;
  /** SHA-256 of the bytes as received. */
  sha256: string;
  /** False when the same bytes were already stored (nothing written again). */
  stored: boolean;
  image?: ImageFacts;
  video?: VideoFacts;
  /** WebP thumbnail (images) or poster frame (videos), stored beside the object. */
  previewKey?: string;
  /** Its bytes (WebP), e.g. for a platform upload. */
  preview?: Uint8Array;
  /** Images: the sanitized bytes (auto-oriented, no metadata), for OCR. */
  data?: Uint8Array;
  /** Videos: keyframes in time order, for OCR. */
  keyframes?: VideoKeyframe[];
}
