import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { decodeFrame, encodeFrame, type Frame } from './frames.js';

/**
 * A minimal WebSocket server speaking Lark's long connection: binary protobuf frames. Pushes
 * events as data frames and records what the client sends back (acks of events, pings).
 */
export interface FakeLarkWs {
  /** The URL /callback/ws/endpoint should hand out. */
  url: string;
  /** Frames the client sent, decoded. */
  received: Array<Frame & { at: number }>;
  connected(): boolean;
  /** Sends one event (a schema 2.0 body) as a data frame; resolves with its frame message id. */
  push(event: unknown): string;
  /** The client's ack for a pushed event, once it came. */
  ackOf(messageId: string): (Frame & { at: number; code: number }) | undefined;
  /** Drops the connection (the client should reconnect). */
  drop(): void;
  /**
   * The open connection goes silent: it stays open but answers nothing (no pongs, no frames), as a
   * connection that died somewhere on the way does. Later connections are answered again.
   */
  silence(): void;
  /** How many WebSocket connections the client opened. */
  connections(): number;
  /** Lark pings answered with a pong. */
  pongs(): number;
  close(): Promise<void>;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function wsFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  let header: Buffer;
  if (length < 126) header = Buffer.from([0x80 | opcode, length]);
  else if (length < 65_536) header = Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff]);
  else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

/** Complete client frames (always masked) off the front of the buffer. */
function* readWsFrames(state: { buffer: Buffer }): Generator<{ opcode: number; payload: Buffer }> {
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

/**
 * `pingIntervalS`: the PingInterval each pong hands the client (the endpoint's ClientConfig gives
 * the first one), in seconds.
 */
/** A Lark pong: a control frame whose payload is the client's new settings. */
function pong(service: number, pingIntervalS: number): Buffer {
  return encodeFrame({
    seqId: 0,
    logId: 0,
    service,
    method: 0,
    headers: { type: 'pong' },
    payload: Buffer.from(
      JSON.stringify({
        PingInterval: pingIntervalS,
        ReconnectCount: 3,
        ReconnectInterval: 1,
        ReconnectNonce: 0,
      }),
    ),
  });
}

export async function startFakeLarkWs(options: { pingIntervalS?: number } = {}): Promise<FakeLarkWs> {
  const received: FakeLarkWs['received'] = [];
  const silenced = new WeakSet<Duplex>();
  const sockets = new Set<Duplex>();
  let socket: Duplex | undefined;
  let seq = 0;
  let connections = 0;
  let pongs = 0;
  const server = createServer((_req, res) => {
    res.writeHead(426);
    res.end();
  });
  server.on('upgrade', (req: IncomingMessage, upgraded: Duplex) => {
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}${GUID}`).digest('base64');
    upgraded.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    socket = upgraded;
    sockets.add(upgraded);
    connections += 1;
    const state = { buffer: Buffer.alloc(0) };
    upgraded.on('data', (chunk: Buffer) => {
      state.buffer = Buffer.concat([state.buffer, chunk]);
      if (silenced.has(upgraded)) return;
      for (const { opcode, payload } of readWsFrames(state)) {
        if (opcode === 2) {
          const frame = decodeFrame(payload);
          received.push({ ...frame, at: Date.now() });
          if (frame.method === 0 && frame.headers.type === 'ping') {
            pongs += 1;
            upgraded.write(wsFrame(2, pong(frame.service, options.pingIntervalS ?? 120)));
          }
        } else if (opcode === 9) upgraded.write(wsFrame(10, payload));
        else if (opcode === 8) upgraded.end(wsFrame(8, Buffer.alloc(0)));
      }
    });
    upgraded.on('error', () => {});
    upgraded.on('close', () => {
      sockets.delete(upgraded);
      if (socket === upgraded) socket = undefined;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    // The SDK reads device_id and service_id with qs.parse of the whole URL: neither may come first.
    url: `ws://127.0.0.1:${port}/ws?fpid=1&device_id=fake-device&service_id=7`,
    received,
    connected: () => socket !== undefined,
    push(event) {
      if (socket === undefined) throw new Error('no client connected');
      seq += 1;
      const messageId = `ws_msg_${seq}`;
      const frame = encodeFrame({
        seqId: seq,
        logId: seq,
        service: 7,
        method: 1,
        headers: { type: 'event', message_id: messageId, sum: '1', seq: '0', trace_id: `trace-${seq}` },
        payload: Buffer.from(JSON.stringify(event)),
      });
      socket.write(wsFrame(2, frame));
      return messageId;
    },
    ackOf(messageId) {
      const ack = received.find((f) => f.method === 1 && f.headers.message_id === messageId);
      if (ack === undefined) return undefined;
      const body = JSON.parse(ack.payload?.toString('utf8') ?? '{}') as { code?: number };
      return { ...ack, code: body.code ?? 0 };
    },
    drop() {
      socket?.destroy();
      socket = undefined;
    },
    silence() {
      if (socket !== undefined) silenced.add(socket);
      socket = undefined;
    },
    connections: () => connections,
    pongs: () => pongs,
    close: () =>
      new Promise<void>((resolve) => {
        for (const open of sockets) open.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
