import { Transform } from 'node:stream';
import { ObjectStoreError } from './types.js';

export function tooLarge(key: string, maxBytes: number): ObjectStoreError {
  return new ObjectStoreError('too_large', `object "${key}" is larger than the limit of ${maxBytes} bytes`);
}

/** Passes chunks through until more than `maxBytes` have gone by, then fails with 'too_large'. */
export function byteLimit(maxBytes: number, key: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(tooLarge(key, maxBytes));
      else callback(null, chunk);
    },
  });
}
