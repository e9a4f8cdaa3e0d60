import { describe, expect, it } from 'vitest';
import { ProtoWriter } from '../../../src/inference/onnx-proto/protobuf.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('ProtoWriter', () => {
  it('writes varints, including 64-bit two’s complement for negatives', () => {
    expect(hex(new ProtoWriter().varint(1).finish())).toBe('01');
    expect(hex(new ProtoWriter().varint(300).finish())).toBe('ac02');
    expect(hex(new ProtoWriter().varint(2 ** 35).finish())).toBe('8080808080' + '01');
    expect(hex(new ProtoWriter().varint(-1).finish())).toBe('ffffffffffffffffff01');
    expect(hex(new ProtoWriter().varint(-2n).finish())).toBe('feffffffffffffffff01');
  });

  it('tags fields with their wire type', () => {
    expect(hex(new ProtoWriter().int(1, 150).finish())).toBe('089601');
    expect(hex(new ProtoWriter().string(2, 'testing').finish())).toBe('120774657374696e67');
    expect(hex(new ProtoWriter().float(2, 1).finish())).toBe('150000803f');
  });

  it('packs repeated scalars and omits empty lists', () => {
    expect(hex(new ProtoWriter().packedInts(4, [3, 270, 86942]).finish())).toBe('2206038e029ea705');
    expect(hex(new ProtoWriter().packedFloats(7, [1, -2]).finish())).toBe('3a080000803f000000c0');
    expect(new ProtoWriter().packedInts(1, []).finish().length).toBe(0);
  });

  it('grows past its initial buffer', () => {
    const big = new Uint8Array(10_000).fill(7);
    const out = new ProtoWriter().bytes(9, big).finish();
    expect(out.length).toBe(1 + 2 + 10_000);
    expect(out[out.length - 1]).toBe(7);
  });
});
