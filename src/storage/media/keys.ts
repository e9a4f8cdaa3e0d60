import { sha256Hex } from '../../util/sha256.js';
import type { MediaOrigin } from './types.js';

/** Length of the hashed workspace and chat segments (hex). */
const SCOPE_HEX = 12;
const PLATFORM = /^[a-z][a-z0-9-]{0,15}$/;
const ID = /^([a-z][a-z0-9-]{0,15})\.([0-9a-f]{12})\.([0-9a-f]{12})\.([0-9a-f]{64})$/;

function scopeHash(...parts: string[]): string {
  return sha256Hex(parts.join('\u0000')).slice(0, SCOPE_HEX);
}

export interface MediaKeys {
  id: string;
  /** `media/<platform>/<workspace hash>/<chat hash>/<sha256>` */
  object: string;
  /** The WebP thumbnail or poster beside it. */
  preview: string;
}

function keysFor(platform: string, ws: string, chat: string, sha256: string): MediaKeys {
  const object = `media/${platform}/${ws}/${chat}/${sha256}`;
  return { id: `${platform}.${ws}.${chat}.${sha256}`, object, preview: `${object}.preview.webp` };
}

/**
 * Content-addressed keys under per-workspace and per-chat prefixes. Workspace and chat ids are
 * hashed (they are platform data, so a `../` in one changes a hash, never a path), the platform
 * must be a plain lower-case word, and nothing the user typed (file names) appears at all.
 */
export function mediaKeys(origin: MediaOrigin, sha256: string): MediaKeys {
  if (!PLATFORM.test(origin.platform))
    throw new Error(`unexpected platform name ${JSON.stringify(origin.platform)}`);
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('expected a hex SHA-256');
  const ws = scopeHash(origin.platform, origin.workspace);
  const chat = scopeHash(origin.platform, origin.workspace, origin.chat);
  return keysFor(origin.platform, ws, chat, sha256);
}

/** The keys behind a media id as `/media-delete` takes it, or undefined for anything else. */
export function keysFromId(id: string): MediaKeys | undefined {
  const match = ID.exec(id.trim().toLowerCase());
  if (match === null) return undefined;
  const [, platform = '', ws = '', chat = '', sha = ''] = match;
  return keysFor(platform, ws, chat, sha);
}
