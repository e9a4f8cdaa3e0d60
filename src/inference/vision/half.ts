/** float32 -> float16 bits (round to nearest even; values below the smallest normal half become 0), for encoders exported in half precision. */
export function floatToHalf(source: Float32Array): Uint16Array {
  const out = new Uint16Array(source.length);
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  for (let i = 0; i < source.length; i++) {
    f[0] = source[i] as number;
    const x = u[0] as number;
    const sign = (x >>> 16) & 0x8000;
    const exp = ((x >>> 23) & 0xff) - 112;
    let mant = x & 0x7fffff;
    if (exp <= 0) {
      out[i] = sign;
    } else if (exp >= 31) {
      out[i] = sign | 0x7c00;
    } else {
      mant += 0xfff + ((mant >>> 13) & 1);
      out[i] = mant & 0x800000 ? sign | ((exp + 1) << 10) : sign | (exp << 10) | (mant >>> 13);
    }
  }
  return out;
}
