import { describe, expect, it } from 'vitest';
import { primed } from '../../src/bot/conversation/primed.js';

async function* delayed(items: string[], firstDelayMs: number, failWith?: Error): AsyncGenerator<string> {
  await new Promise((resolve) => setTimeout(resolve, firstDelayMs));
  if (failWith !== undefined) throw failWith;
  yield* items;
}

async function collect(source: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of source) out.push(item);
  return out;
}

describe('primed', () => {
  it('throws an immediate failure before the stream is handed over', async () => {
    const busy = new Error('busy');
    await expect(primed(delayed([], 5, busy), 1_000)).rejects.toBe(busy);
  });

  it('hands over a quick stream with its first item replayed, nothing lost', async () => {
    const stream = await primed(delayed(['a', 'b', 'c'], 5), 5_000);
    expect(await collect(stream)).toEqual(['a', 'b', 'c']);
  });

  it('hands over a slow stream after the wait; a later failure reaches the consumer', async () => {
    const late = new Error('late');
    let handedOver = false;
    const stream = primed(delayed(['x'], 300, late), 20).then((s) => {
      handedOver = true;
      return s;
    });
    const s = await stream;
    expect(handedOver).toBe(true);
    await expect(collect(s)).rejects.toBe(late);
  });

  it('hands over a slow stream after the wait with every item', async () => {
    const stream = await primed(delayed(['x', 'y'], 100), 10);
    expect(await collect(stream)).toEqual(['x', 'y']);
  });

  it('forwards an early return to the source (the Replier stops the generation)', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<string> {
      try {
        yield 'a';
        yield 'b';
      } finally {
        closed = true;
      }
    }
    const seen: string[] = [];
    for await (const item of await primed(source(), 1_000)) {
      seen.push(item);
      break;
    }
    expect(seen).toEqual(['a']);
    expect(closed).toBe(true);
  });
});
