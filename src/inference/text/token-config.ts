/** Readers for the loosely typed fields of Hugging Face tokenizer and generation configs. */

import type { JsonObject } from '../model/json-file.js';

export type { JsonObject };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A token given as a string or as an AddedToken object (`{ "content": "<s>", ... }`). */
export function tokenContent(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.content === 'string') return value.content;
  return undefined;
}

/** The first of `sources` that names this special token (`bos_token`, `eos_token`, ...). */
export function specialToken(key: string, ...sources: (JsonObject | undefined)[]): string | undefined {
  for (const source of sources) {
    const token = tokenContent(source?.[key]);
    if (token !== undefined) return token;
  }
  return undefined;
}

/** Every token string the configs call special: the named ones and `additional_special_tokens`. */
export function namedSpecialTokens(...sources: (JsonObject | undefined)[]): string[] {
  const names = ['bos_token', 'eos_token', 'unk_token', 'pad_token', 'sep_token', 'cls_token', 'mask_token'];
  const tokens = new Set<string>();
  for (const source of sources) {
    for (const name of names) {
      const token = tokenContent(source?.[name]);
      if (token !== undefined) tokens.add(token);
    }
    const additional = source?.additional_special_tokens;
    if (Array.isArray(additional)) {
      for (const item of additional) {
        const token = tokenContent(item);
        if (token !== undefined) tokens.add(token);
      }
    }
  }
  return [...tokens];
}

/**
 * A `chat_template` field: a string, or a list of `{ name, template }` (the one named "default"
 * is used; a list without one gives undefined, as there is no telling which to pick).
 */
export function chatTemplateField(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isObject(item) && item.name === 'default' && typeof item.template === 'string')
        return item.template;
    }
  }
  return undefined;
}

/** A token id field that may be a number or a list of numbers (eos_token_id often is a list). */
export function tokenIds(value: unknown): number[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0);
}
