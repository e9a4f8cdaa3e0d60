import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * A minimal WebSocket server speaking Slack's Socket Mode: says `hello` on connect, pushes
 * envelopes, records what the client sends back (acks). Text frames, ping/pong and close only.
 */
export interface FakeSocketMode {
  url: string;
  /** Parsed JSON messages the client sent (acks carry `envelope_id`). */
  received: Array<Record<string, unknown>>;
  connected(): boolean;
  /** Sends one envelope to the connected client. */
  push(envelope: Record<string, unknown>): void;
  close(): Promise<void>;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x80 | opcode, length])
      : Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff]);
  return Buffer.concat([header, payload]);
}

/** Reads complete client frames (always masked) off the front of `buffer`. */
function* readFrames(state: { buffer: Buffer }): Generator<{ opcode: number; payload: Buffer }> {
  for (;;) {
    const b = state.buffer;
    if (b.length < 2) return;
    let length = (b[1] ?? 0) & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (b.length < 4) return;
      length = b.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (b.length < 10) return;
      length = Number(b.readBigUInt64BE(2));
      offset = 10;
    }
    if (b.length < offset + 4 + length) return;
    const mask = b.subarray(offset, offset + 4);
    const payload = Buffer.from(b.subarray(offset + 4, offset + 4 + length));
    for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
    state.buffer = b.subarray(offset + 4 + length);
    yield { opcode: (b[0] ?? 0) & 0x0f, payload };
  }
}

export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const received: FakeSocketMode['received'] = [];
  let socket: Duplex | undefined;
  const server = createServer((_req, res) => res.writeHead(426).end());
  server.on('upgrade', (req: IncomingMessage, sock: Duplex) => {
    const key = String(req.headers['sec-websocket-key']);
    const accept = createHash('sha1')
      .update(key + GUID)
      .digest('base64');
    sock.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    socket = sock;
    const state = { buffer: Buffer.alloc(0) };
    sock.on('data', (data: Buffer) => {
      state.buffer = Buffer.concat([state.buffer, data]);
      for (const { opcode, payload } of readFrames(state)) {
        if (opcode === 0x1) received.push(JSON.parse(payload.toString('utf8')) as Record<string, unknown>);
        else if (opcode === 0x9) sock.write(frame(0xa, payload));
        else if (opcode === 0x8) {
          sock.end(frame(0x8, payload.subarray(0, 2)));
          socket = undefined;
        }
      }
    });
    sock.on('error', () => undefined);
    sock.write(frame(0x1, Buffer.from(JSON.stringify({ type: 'hello', num_connections: 1 }))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/link`,
    received,
    connected: () => socket !== undefined,
    push(envelope) {
      if (socket === undefined) throw new Error('no Socket Mode client is connected');
      socket.write(frame(0x1, Buffer.from(JSON.stringify(envelope))));
    },
    close: () =>
      new Promise<void>((resolve) => {
        socket?.destroy();
        server.close(() => resolve());
      }),
  };
}
