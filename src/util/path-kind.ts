import { stat } from 'node:fs/promises';
import { hasCode } from './system-error.js';

async function kind(path: string): Promise<'file' | 'directory' | 'other' | undefined> {
  try {
    const info = await stat(path);
    return info.isDirectory() ? 'directory' : info.isFile() ? 'file' : 'other';
  } catch (error) {
    if (hasCode(error, 'ENOENT', 'ENOTDIR')) return undefined;
    throw error;
  }
}

/** True when `path` is an existing directory (false when it is missing or something else). */
export async function isDirectory(path: string): Promise<boolean> {
  return (await kind(path)) === 'directory';
}

/** True when `path` is an existing regular file. */
export async function isFile(path: string): Promise<boolean> {
  return (await kind(path)) === 'file';
}
