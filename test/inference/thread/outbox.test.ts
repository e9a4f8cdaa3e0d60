import { describe, expect, it } from 'vitest';
import { Outbox } from '../../../src/inference/thread/outbox.js';

describe('Outbox', () => {
  it('sends what one tick sent as one batch, in order, and the next tick apart', async () => {
    const batches: number[][] = [];
    const outbox = new Outbox<number>((batch) => batches.push([...batch]));
    for (let i = 0; i < 5; i++) outbox.send(i);
    expect(batches).toEqual([]);
    await Promise.resolve();
    expect(batches).toEqual([[0, 1, 2, 3, 4]]);
    outbox.send(5);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[0, 1, 2, 3, 4], [5]]);
  });

  it('flush() sends the pending messages at once, and the scheduled flush then sends nothing', async () => {
    const batches: string[][] = [];
    const outbox = new Outbox<string>((batch) => batches.push([...batch]));
    outbox.send('generate');
    outbox.send('cancel');
    outbox.flush();
    expect(batches).toEqual([['generate', 'cancel']]);
    await Promise.resolve();
    expect(batches).toHaveLength(1);
  });
});
