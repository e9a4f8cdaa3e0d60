import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { errorMessage } from '../../util/error-message.js';
import { formatBytes, MediaError } from './errors.js';
import { type DetectedType, SNIFF_BYTES, sniffType } from './sniff.js';
import type { MediaKind } from './types.js';

/** A download written to a private temp file, with what was learnt on the way. */
export interface Spooled {
  path: string;
  type: DetectedType;
  size: number;
  sha256: string;
  /** Removes the temp file and its directory. */
  remove(): Promise<void>;
}

const KIND_WORD: Record<MediaKind, string> = {
  image: 'Images',
  video: 'Videos',
  audio: 'Audio files',
  file: 'Files',
};

export function tooLarge(kind: MediaKind, max: number): MediaError {
  return new MediaError('too_large', `${KIND_WORD[kind]} can be at most ${formatBytes(max)}.`);
}

/**
 * Holds back the first SNIFF_BYTES, sniffs the type from them, then passes everything on while
 * hashing and counting; fails as soon as the count passes the cap for the sniffed kind.
 */
class SniffAndCap extends Transform {
  type: DetectedType | undefined;
  size = 0;
  readonly hash = createHash('sha256');
  #head: Buffer[] = [];
  #headBytes = 0;

  constructor(private readonly caps: Record<MediaKind, number>) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.type !== undefined) {
      this.#pass(chunk, callback);
      return;
    }
    this.#head.push(chunk);
    this.#headBytes += chunk.length;
    if (this.#headBytes < SNIFF_BYTES) {
      callback();
      return;
    }
    this.#decide(callback);
  }

  override _flush(callback: TransformCallback): void {
    if (this.type !== undefined) callback();
    else this.#decide(callback);
  }

  #decide(callback: TransformCallback): void {
    const head = Buffer.concat(this.#head);
    this.#head = [];
    sniffType(head).then(
      (type) => {
        this.type = type;
        this.#pass(head, callback);
      },
      (error: unknown) => callback(error as Error),
    );
  }

  #pass(chunk: Buffer, callback: TransformCallback): void {
    this.size += chunk.length;
    const kind = this.type?.kind ?? 'file';
    const max = this.caps[kind];
    if (this.size > max) {
      callback(tooLarge(kind, max));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }
}

function toNodeStream(stream: ReadableStream<Uint8Array> | Readable): Readable {
  return stream instanceof Readable ? stream : Readable.fromWeb(stream as WebReadableStream<Uint8Array>);
}

/**
 * Streams `source` into a temp file (never the whole thing in memory), sniffing its type from the
 * first bytes and enforcing the cap for that kind. On any failure the temp file is gone.
 */
export async function spool(
  source: ReadableStream<Uint8Array> | Readable,
  caps: Record<MediaKind, number>,
  signal?: AbortSignal,
): Promise<Spooled> {
  const dir = await mkdtemp(join(tmpdir(), 'teambot-media-'));
  const path = join(dir, randomBytes(8).toString('hex'));
  const remove = () => rm(dir, { recursive: true, force: true });
  const gate = new SniffAndCap(caps);
  try {
    await pipeline(toNodeStream(source), gate, createWriteStream(path, { mode: 0o600 }), {
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (error) {
    await remove();
    if (error instanceof MediaError) throw error;
    const reason = errorMessage(error);
    const wrapped = new MediaError('download_failed', `The download was interrupted (${reason}).`);
    wrapped.cause = error;
    throw wrapped;
  }
  const type = gate.type ?? (await sniffType(Buffer.alloc(0)));
  return { path, type, size: gate.size, sha256: gate.hash.digest('hex'), remove };
}
