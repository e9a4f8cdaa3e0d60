/** Why media was refused; `message` is written for the person who sent it. */
export type MediaErrorCode =
  | 'too_large'
  | 'too_long'
  | 'unsupported'
  | 'corrupt'
  | 'timeout'
  | 'unavailable'
  | 'download_failed';

export class MediaError extends Error {
  override readonly name = 'MediaError';
  constructor(
    readonly code: MediaErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** ffprobe found no video stream (an audio-only MP4, say): the service stores it as audio. */
export class NoVideoStreamError extends MediaError {
  constructor() {
    super('unsupported', 'This file has no video stream I can read.');
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
