/**
 * A seeded pseudo-random generator (mulberry32) giving floats in [0, 1). The same seed gives the
 * same sequence; callers without a seed pass a random one. Not for anything secret.
 */
export function createRng(seed: number): () => number {
  // Any finite number works as a seed; its integer part, taken modulo 2^32, picks the stream.
  let state = Number.isFinite(seed) ? Math.trunc(seed) >>> 0 : 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
