import { readFile } from 'node:fs/promises';
import { hasCode } from '../../util/system-error.js';
import { ModelError } from './errors.js';

export type JsonObject = Record<string, unknown>;

/** Reads a JSON object file; undefined when it is absent and `optional`, a ModelError otherwise. */
export async function readJsonObject(path: string, optional: true): Promise<JsonObject | undefined>;
export async function readJsonObject(path: string, optional?: false): Promise<JsonObject>;
export async function readJsonObject(path: string, optional = false): Promise<JsonObject | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (hasCode(error, 'ENOENT')) {
      if (optional) return undefined;
      throw new ModelError('missing_file', `${path} is missing.`, { cause: error });
    }
    throw new ModelError('bad_file', `Cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ModelError('bad_file', `${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ModelError('bad_file', `${path} should hold a JSON object.`);
  }
  return value as JsonObject;
}

export function numberField(object: JsonObject | undefined, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const value = object?.[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return undefined;
}

export function stringField(object: JsonObject | undefined, key: string): string | undefined {
  const value = object?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function objectField(object: JsonObject | undefined, key: string): JsonObject | undefined {
  const value = object?.[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

/** A token id field that may be a number or a list of numbers (eos_token_id often is a list). */
export function idList(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.filter((v): v is number => typeof v === 'number');
  return [];
}
