import { createServer } from 'node:net';
import type { Generation } from '../../src/inference/types.js';

/** Drains a generation: its chunks and its result (or the error the iteration threw). */
export async function drain(generation: Generation): Promise<{ chunks: string[]; error?: unknown }> {
  const chunks: string[] = [];
  try {
    for await (const chunk of generation) chunks.push(chunk);
  } catch (error) {
    return { chunks, error };
  }
  return { chunks };
}

/** A local port nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export const hello = { messages: [{ role: 'user' as const, content: 'hello world' }] };
