import { readFile } from 'node:fs/promises';
import { hasCode } from '../../util/system-error.js';
import type { ObjectInfo, ObjectMetadata } from './types.js';

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** What the filesystem store keeps beside each object, as JSON. */
export interface StoredInfo {
  contentType: string;
  metadata: ObjectMetadata;
  size: number;
  createdAt: string;
}

export function toInfo(key: string, stored: StoredInfo): ObjectInfo {
  const { size, contentType, metadata } = stored;
  return { key, size, contentType, metadata, createdAt: new Date(stored.createdAt) };
}

/**
 * An object's info from its sidecar file; size comes from the content itself. A missing or corrupt
 * sidecar (e.g. after a crash between the two writes) falls back to defaults and the file's mtime.
 */
export async function readInfo(
  key: string,
  metaPath: string,
  size: number,
  modified: Date,
): Promise<ObjectInfo> {
  const text = await readFile(metaPath, 'utf8').catch((error: unknown) => {
    if (hasCode(error, 'ENOENT', 'ENOTDIR', 'EISDIR')) return undefined;
    throw error;
  });
  const stored = text === undefined ? {} : parseStored(text);
  return toInfo(key, {
    contentType: stored.contentType ?? DEFAULT_CONTENT_TYPE,
    metadata: stored.metadata ?? {},
    size,
    createdAt: stored.createdAt ?? modified.toISOString(),
  });
}

function parseStored(text: string): Partial<StoredInfo> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof value !== 'object' || value === null) return {};
  const record = value as Record<string, unknown>;
  const metadata = record.metadata;
  const entries = typeof metadata === 'object' && metadata !== null ? Object.entries(metadata) : [];
  return {
    ...(typeof record.contentType === 'string' ? { contentType: record.contentType } : {}),
    ...(typeof record.createdAt === 'string' ? { createdAt: record.createdAt } : {}),
    metadata: Object.fromEntries(
      entries.filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    ),
  };
}
