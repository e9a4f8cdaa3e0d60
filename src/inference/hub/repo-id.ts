import { join } from 'node:path';
import { HubError } from './errors.js';

/**
 * One part of a hub id as the hub allows it: letters, digits, `-`, `_`, `.`; starting and ending
 * with a letter or digit; at most 96 characters. `--` and `..` are refused (the hub refuses them too).
 */
const PART = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?$/;

export interface HubId {
  owner: string;
  name: string;
}

function validPart(part: string): boolean {
  return PART.test(part) && !part.includes('..') && !part.includes('--');
}

/**
 * True when `value` is shaped like a hub model id, `owner/name`. Whether it names a local path
 * instead is for the caller to decide.
 */
export function isHubId(value: string): boolean {
  const parts = value.split('/');
  return parts.length === 2 && parts.every(validPart);
}

/** Splits a hub model id, with a clear error when it is not one. */
export function parseHubId(value: string): HubId {
  if (!isHubId(value)) {
    throw new HubError(
      'bad_repo_id',
      `"${value}" is not a hub model id: expected owner/name (letters, digits, "-", "_", "."), ` +
        'e.g. onnx-community/Qwen2.5-0.5B-Instruct.',
    );
  }
  const [owner = '', name = ''] = value.split('/');
  return { owner, name };
}

/** Where a pulled model lives: `<modelsDir>/<owner>/<name>`. */
export function modelDirFor(modelsDir: string, repo: string): string {
  const { owner, name } = parseHubId(repo);
  return join(modelsDir, owner, name);
}
