import { KeyValueStoreError } from './types.js';

/** A TTL as whole milliseconds (rounded up), or undefined for none; rejects values that are not positive. */
export function checkTtl(ttlMs: number | undefined): number | undefined {
  if (ttlMs === undefined) return undefined;
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new KeyValueStoreError(`ttlMs must be a positive number of milliseconds, got ${ttlMs}`);
  }
  return Math.ceil(ttlMs);
}

/** The step of an increment: a safe integer, like Redis INCRBY's argument. */
export function checkIncrement(by: number): number {
  if (!Number.isSafeInteger(by)) {
    throw new KeyValueStoreError(`increment step must be an integer, got ${by}`);
  }
  return by;
}

/** A list bound: a non-negative integer (0 keeps nothing), or undefined for none. */
export function checkMaxLength(maxLength: number | undefined): number | undefined {
  if (maxLength === undefined) return undefined;
  if (!Number.isSafeInteger(maxLength) || maxLength < 0) {
    throw new KeyValueStoreError(`maxLength must be a non-negative integer, got ${maxLength}`);
  }
  return maxLength;
}

/** Parses a stored counter the way Redis does: a decimal integer or an error. */
export function parseCounter(key: string, value: string): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new KeyValueStoreError(`value of "${key}" is not an integer or out of range`);
  }
  return n;
}

/** Resolves Redis LRANGE indexes against a list of `length` items into a slice [from, to). */
export function rangeSlice(length: number, start: number, stop: number): [number, number] {
  const from = Math.max(start < 0 ? start + length : start, 0);
  const last = Math.min(stop < 0 ? stop + length : stop, length - 1);
  return from > last ? [0, 0] : [from, last + 1];
}
