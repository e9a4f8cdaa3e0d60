import { createHash } from 'node:crypto';

/**
 * Idempotency keys for the messages one reply sends: `tb-<hash of seed>-<n>`, the same sequence
 * whenever the same message is answered. Lark sends a message once per `uuid` (within an hour), so
 * a call retried after its answer was lost never posts twice. At most 50 characters, as Lark asks.
 */
export function uuidSequence(seed: string): () => string {
  const base = createHash('sha256').update(seed).digest('hex').slice(0, 24);
  let n = 0;
  return () => {
    n += 1;
    return `tb-${base}-${n}`;
  };
}
