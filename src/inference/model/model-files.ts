import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { hasCode } from '../../util/system-error.js';
import { ModelError } from './errors.js';
import type { JsonObject } from './json-file.js';

function where(path: string): string {
  return `${basename(path)} in ${dirname(path)}`;
}

/** A text file's contents; undefined when it is absent and optional. */
export async function readModelText(path: string, optional: boolean): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (hasCode(error, 'ENOENT')) {
      if (optional) return undefined;
      throw new ModelError(
        'missing_file',
        `The model directory ${dirname(path)} has no ${basename(path)}; it comes with the model's files (its Hugging Face repository).`,
        { cause: error },
      );
    }
    throw new ModelError('bad_file', `Cannot read ${where(path)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** A JSON object file; undefined when it is absent and optional. Malformed JSON names the file. */
export async function readModelJson(path: string, optional: true): Promise<JsonObject | undefined>;
export async function readModelJson(path: string, optional: false): Promise<JsonObject>;
export async function readModelJson(path: string, optional: boolean): Promise<JsonObject | undefined> {
  const text = await readModelText(path, optional);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ModelError('bad_file', `${where(path)} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ModelError('bad_file', `${where(path)} should hold a JSON object.`);
  return value as JsonObject;
}
