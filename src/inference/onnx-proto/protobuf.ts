/**
 * A minimal protocol-buffers writer: just the wire types ONNX needs (varint, 32-bit float,
 * length-delimited) and packed repeated scalars. Messages are built bottom-up: encode the child
 * into bytes first, then embed it with `bytes(field, child)`.
 */

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

const TWO_POW_64 = 1n << 64n;

export class ProtoWriter {
  private buf = new Uint8Array(64);
  private len = 0;
  private readonly floatScratch = new DataView(new ArrayBuffer(4));

  /** The bytes written so far (a copy trimmed to length). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  /** An unsigned varint; a negative integer is written as its 64-bit two's complement (10 bytes). */
  varint(value: number | bigint): this {
    if (typeof value === 'number' && value >= 0 && value <= 0xffffffff) {
      let v = value;
      if (!Number.isInteger(v)) throw new RangeError(`varint needs an integer, got ${value}`);
      this.reserve(5);
      while (v >= 0x80) {
        this.buf[this.len++] = (v % 0x80) | 0x80;
        v = Math.floor(v / 0x80);
      }
      this.buf[this.len++] = v;
      return this;
    }
    let big = typeof value === 'bigint' ? value : BigInt(value);
    if (big < 0n) big += TWO_POW_64;
    if (big < 0n || big >= TWO_POW_64) throw new RangeError(`varint out of 64-bit range: ${value}`);
    this.reserve(10);
    while (big >= 0x80n) {
      this.buf[this.len++] = Number(big & 0x7fn) | 0x80;
      big >>= 7n;
    }
    this.buf[this.len++] = Number(big);
    return this;
  }

  /** A varint-typed field (int32, int64, enum, bool). */
  int(field: number, value: number | bigint): this {
    return this.tag(field, WIRE_VARINT).varint(value);
  }

  /** A `float` field (fixed 32-bit, little-endian). */
  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    this.floatScratch.setFloat32(0, value, true);
    this.raw(new Uint8Array(this.floatScratch.buffer));
    return this;
  }

  /** A length-delimited field: bytes, or an already encoded sub-message. */
  bytes(field: number, data: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED).varint(data.length);
    return this.raw(data);
  }

  string(field: number, text: string): this {
    return this.bytes(field, new TextEncoder().encode(text));
  }

  /** A packed repeated varint field (int64 list); omitted when empty. */
  packedInts(field: number, values: readonly (number | bigint)[]): this {
    if (values.length === 0) return this;
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.bytes(field, inner.finish());
  }

  /** A packed repeated float field; omitted when empty. */
  packedFloats(field: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    const data = new Uint8Array(values.length * 4);
    const view = new DataView(data.buffer);
    values.forEach((v, i) => {
      view.setFloat32(i * 4, v, true);
    });
    return this.bytes(field, data);
  }

  private tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  private raw(data: Uint8Array): this {
    this.reserve(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
    return this;
  }

  private reserve(extra: number): void {
    const needed = this.len + extra;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}
