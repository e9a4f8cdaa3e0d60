/**
 * Seeded pseudo-random numbers with integer-only state updates, so the generated weights are the
 * same bytes on every platform and Node version.
 */

/** Math.sqrt is correctly rounded, so this constant is the same everywhere. */
const SQRT3 = Math.sqrt(3);

/** A 32-bit FNV-1a hash of a string. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A mulberry32 generator: uniform floats in [0, 1). */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A stream derived from a numeric seed and a label (e.g. a tensor name). */
  static forStream(seed: number, label: string): SeededRandom {
    const mixed = (fnv1a(label) ^ Math.imul(seed >>> 0, 0x9e3779b9)) >>> 0;
    return new SeededRandom(mixed);
  }

  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /**
   * An approximately standard normal value: the Irwin–Hall sum of four uniforms, centred and scaled
   * to unit variance. Only additions and multiplications, so it is bit-exact everywhere.
   */
  nextNormal(): number {
    const sum = this.nextFloat() + this.nextFloat() + this.nextFloat() + this.nextFloat();
    return (sum - 2) * SQRT3;
  }
}

/** `count` normal values with the given standard deviation, from the stream (seed, label). */
export function normalTensor(seed: number, label: string, count: number, std: number): Float32Array {
  const rng = SeededRandom.forStream(seed, label);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 1) out[i] = rng.nextNormal() * std;
  return out;
}
