/**
 * Lark's long-connection frame (`pbbp2.Frame`, protobuf) encoded and decoded by hand, for the
 * fake server: 1 SeqID, 2 LogID, 3 service, 4 method (0 control, 1 data) as varints, 5 headers
 * (`{1 key, 2 value}` messages), 6 payload_encoding, 7 payload_type, 8 payload, 9 LogIDNew.
 */
export interface Frame {
  seqId: number;
  logId: number;
  service: number;
  method: number;
  headers: Record<string, string>;
  payload?: Buffer | undefined;
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let n = value;
  while (n > 0x7f) {
    bytes.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  bytes.push(n);
  return Buffer.from(bytes);
}

const key = (field: number, wireType: number) => varint(field * 8 + wireType);
const bytesField = (field: number, value: Buffer) =>
  Buffer.concat([key(field, 2), varint(value.length), value]);

export function encodeFrame(frame: Frame): Buffer {
  const parts = [
    key(1, 0),
    varint(frame.seqId),
    key(2, 0),
    varint(frame.logId),
    key(3, 0),
    varint(frame.service),
    key(4, 0),
    varint(frame.method),
  ];
  for (const [name, value] of Object.entries(frame.headers)) {
    const header = Buffer.concat([bytesField(1, Buffer.from(name)), bytesField(2, Buffer.from(value))]);
    parts.push(bytesField(5, header));
  }
  if (frame.payload !== undefined) parts.push(bytesField(8, frame.payload));
  return Buffer.concat(parts);
}

/** Reads fields off a buffer: [field, wire type, varint value or bytes]. */
function* fields(buffer: Buffer): Generator<[number, number, number | Buffer]> {
  let at = 0;
  const readVarint = (): number => {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = buffer[at++] ?? 0;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 0x80;
    }
  };
  while (at < buffer.length) {
    const tag = readVarint();
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (wireType === 0) yield [field, wireType, readVarint()];
    else if (wireType === 2) {
      const length = readVarint();
      yield [field, wireType, buffer.subarray(at, at + length)];
      at += length;
    } else if (wireType === 1) at += 8;
    else if (wireType === 5) at += 4;
    else throw new Error(`unknown wire type ${wireType}`);
  }
}

export function decodeFrame(buffer: Buffer): Frame {
  const frame: Frame = { seqId: 0, logId: 0, service: 0, method: 0, headers: {} };
  for (const [field, , value] of fields(buffer)) {
    if (field === 1) frame.seqId = value as number;
    else if (field === 2) frame.logId = value as number;
    else if (field === 3) frame.service = value as number;
    else if (field === 4) frame.method = value as number;
    else if (field === 5) {
      let name = '';
      let text = '';
      for (const [f, , v] of fields(value as Buffer)) {
        if (f === 1) name = (v as Buffer).toString('utf8');
        if (f === 2) text = (v as Buffer).toString('utf8');
      }
      frame.headers[name] = text;
    } else if (field === 8) frame.payload = Buffer.from(value as Buffer);
  }
  return frame;
}
