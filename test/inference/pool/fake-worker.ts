import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type WorkerBehavior =
  /** Streams `text` word by word (SSE), then [DONE]. */
  | { kind: 'answer'; text: string }
  /** Streams `words` words of `text`, then drops the connection. */
  | { kind: 'die-midway'; text: string; words: number }
  /** 429 with Retry-After. */
  | { kind: 'full'; retryAfterS: number };

export interface FakeWorker {
  url: string;
  healthy: boolean;
  behavior: WorkerBehavior;
  chats: number;
  /** What its /load says of its model: it looks at images. */
  vision: boolean;
  /** The last chat request's body, parsed. */
  lastBody: unknown;
  close(): Promise<void>;
}

const chunk = (content: string) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', model: 'fake', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

/** An inference worker on 127.0.0.1 speaking just enough of /health, /load and /v1 (streaming). */
export async function startFakeWorker(behavior: WorkerBehavior): Promise<FakeWorker> {
  const worker: Omit<FakeWorker, 'url' | 'close'> = {
    healthy: true,
    behavior,
    chats: 0,
    vision: false,
    lastBody: undefined,
  };
  const server: Server = createServer((req, res) => {
    if (req.url === '/health') {
      res.writeHead(worker.healthy ? 200 : 503).end();
      return;
    }
    if (req.url === '/load') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ running: 0, waiting: 0, tokensInFlight: 0, capacity: 4, vision: worker.vision }),
      );
      return;
    }
    if (req.url === '/v1/models') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ data: [{ id: 'fake' }] }));
      return;
    }
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      worker.chats++;
      worker.lastBody = JSON.parse(Buffer.concat(parts).toString('utf8') || 'null');
      const b = worker.behavior;
      if (b.kind === 'full') {
        res.writeHead(429, { 'retry-after': String(b.retryAfterS), 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'busy' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const words = b.text.split(' ').map((w, i) => (i === 0 ? w : ` ${w}`));
      if (b.kind === 'die-midway') {
        for (const word of words.slice(0, b.words)) res.write(chunk(word));
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      for (const word of words) res.write(chunk(word));
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(worker, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as FakeWorker;
}
