/** IEEE 754 half-precision to single: a 64K-entry table, built on first use (256 KiB). */
let table: Float32Array | undefined;

function halfBitsToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function halfTable(): Float32Array {
  if (table === undefined) {
    table = new Float32Array(65536);
    for (let bits = 0; bits < 65536; bits++) table[bits] = halfBitsToFloat(bits);
  }
  return table;
}

/** Converts float16 values (as onnxruntime returns them in Node: a Uint16Array of bits) to float32. */
export function halfToFloat(half: Uint16Array): Float32Array {
  const lookup = halfTable();
  const out = new Float32Array(half.length);
  for (let i = 0; i < half.length; i++) out[i] = lookup[half[i] as number] as number;
  return out;
}
