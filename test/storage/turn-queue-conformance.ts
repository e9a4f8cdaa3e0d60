import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type BurstStrategy,
  CarryOver,
  type TurnBatch,
  type TurnQueue,
  type TurnQueueHooks,
  type TurnQueueSettings,
} from '../../src/storage/queue/types.js';
import { waitFor } from '../helpers/fake-slack.js';

export type Payload = { text: string };
export type State = { shown: string };
export type MakeQueue = (
  settings: TurnQueueSettings,
  hooks: TurnQueueHooks<Payload, State>,
) => Promise<TurnQueue<Payload, State>>;

const SETTINGS: TurnQueueSettings = { burstWindowMs: 0, burstMax: 8, concurrency: 8 };

/**
 * The behaviour every TurnQueue shares. `makeQueue` gives a queue of its own (its own namespace)
 * on each call; the suite closes what it opens.
 */
export function describeTurnQueueConformance(name: string, makeQueue: MakeQueue): void {
  describe(`${name} (TurnQueue conformance)`, () => {
    const opened: TurnQueue<Payload, State>[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((queue) => queue.close()));
    });
    const open = async (
      settings: Partial<TurnQueueSettings> = {},
      hooks: Partial<TurnQueueHooks<Payload, State>> = {},
    ) => {
      const strategy = hooks.strategy ?? ((): BurstStrategy => 'queue');
      const queue = await makeQueue({ ...SETTINGS, ...settings }, { ...hooks, strategy });
      opened.push(queue);
      return queue;
    };
    const turn = (id: string, conversation: string) => ({ id, conversation, payload: { text: id } });

    it('runs every turn once, one conversation at a time in arrival order, conversations side by side', async () => {
      const queue = await open();
      const seen: string[] = [];
      const running = new Map<string, number>();
      let overlap = 0;
      let parallel = 0;
      queue.process(async (batch) => {
        running.set(batch.conversation, (running.get(batch.conversation) ?? 0) + 1);
        if ((running.get(batch.conversation) ?? 0) > 1) overlap += 1;
        parallel = Math.max(parallel, [...running.values()].filter((n) => n > 0).length);
        await sleep(30);
        seen.push(...batch.payloads.map((p) => p.text));
        running.set(batch.conversation, (running.get(batch.conversation) ?? 1) - 1);
      });
      for (let i = 0; i < 4; i += 1) {
        expect(await queue.enqueue(turn(`a${i}`, 'A'))).toBe(true);
        expect(await queue.enqueue(turn(`b${i}`, 'B'))).toBe(true);
      }
      await waitFor(() => seen.length === 8, 'eight turns', 15_000);
      expect(seen.filter((t) => t.startsWith('a'))).toEqual(['a0', 'a1', 'a2', 'a3']);
      expect(seen.filter((t) => t.startsWith('b'))).toEqual(['b0', 'b1', 'b2', 'b3']);
      expect(overlap).toBe(0);
      expect(parallel).toBe(2);
    });

    it('runs a conversation by the time its messages were sent, not the order they were queued', async () => {
      const queue = await open({ burstWindowMs: 0 });
      const seen: string[] = [];
      await queue.enqueue({ ...turn('late', 'A'), at: Date.now() - 1_000 });
      await queue.enqueue({ ...turn('early', 'A'), at: Date.now() - 2_000 });
      queue.process(async (batch) => {
        seen.push(...batch.payloads.map((p) => p.text));
      });
      await waitFor(() => seen.length === 2, 'two turns', 10_000);
      expect(seen).toEqual(['early', 'late']);
    });

    it('queues a repeated id once', async () => {
      const queue = await open();
      const seen: string[] = [];
      queue.process(async (batch) => {
        seen.push(...batch.payloads.map((p) => p.text));
      });
      expect(await queue.enqueue(turn('x', 'A'))).toBe(true);
      expect(await queue.enqueue(turn('x', 'A'))).toBe(false);
      expect(await queue.enqueue(turn('y', 'A'))).toBe(true);
      await waitFor(() => seen.length === 2, 'two turns', 10_000);
      await sleep(300);
      expect(seen).toEqual(['x', 'y']);
    });

    it('answers a burst within the window as one batch, at most burstMax turns', async () => {
      const queue = await open({ burstWindowMs: 400, burstMax: 3 });
      const batches: string[][] = [];
      queue.process(async (batch) => {
        batches.push(batch.payloads.map((p) => p.text));
      });
      for (const id of ['m1', 'm2', 'm3', 'm4']) await queue.enqueue(turn(id, 'A'));
      await waitFor(() => batches.flat().length === 4, 'four turns', 10_000);
      expect(batches).toEqual([['m1', 'm2', 'm3'], ['m4']]);
    });

    it('merges the turns that waited while a batch ran (merge)', async () => {
      const queue = await open({}, { strategy: () => 'merge' });
      const batches: string[][] = [];
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      queue.process(async (batch) => {
        batches.push(batch.payloads.map((p) => p.text));
        if (batch.payloads[0]?.text === 'first') await gate;
      });
      await queue.enqueue(turn('first', 'A'));
      await waitFor(() => batches.length === 1, 'the first batch');
      for (const id of ['s1', 's2', 's3']) await queue.enqueue(turn(id, 'A'));
      release();
      await waitFor(() => batches.flat().length === 4, 'four turns', 10_000);
      expect(batches).toEqual([['first'], ['s1', 's2', 's3']]);
    });

    it('interrupts a running batch and answers both in the next (interrupt)', async () => {
      const stop = new AbortController();
      const interrupted: string[] = [];
      const queue = await open(
        {},
        {
          strategy: () => 'interrupt',
          interrupt: (conversation) => {
            interrupted.push(conversation);
            stop.abort();
          },
        },
      );
      const batches: string[][] = [];
      queue.process(async (batch) => {
        batches.push(batch.payloads.map((p) => p.text));
        if (batch.payloads.length === 1 && batch.payloads[0]?.text === 'long') {
          await new Promise((resolve) => stop.signal.addEventListener('abort', resolve));
          throw new CarryOver('interrupted');
        }
      });
      await queue.enqueue(turn('long', 'A'));
      await waitFor(() => batches.length === 1, 'the first batch');
      await queue.enqueue(turn('next', 'A'));
      await waitFor(() => batches.length === 2, 'the second batch', 10_000);
      expect(interrupted).toEqual(['A']);
      expect(batches).toEqual([['long'], ['long', 'next']]);
    });

    it('reports a failing batch once and goes on with the conversation', async () => {
      const failures: Array<{ texts: string[]; message: string }> = [];
      const queue = await open(
        {},
        {
          failed: async (batch, error) => {
            failures.push({ texts: batch.payloads.map((p) => p.text), message: String(error) });
          },
        },
      );
      const seen: string[] = [];
      queue.process(async (batch: TurnBatch<Payload, State>) => {
        if (batch.payloads[0]?.text === 'bad') throw new Error('boom');
        seen.push(...batch.payloads.map((p) => p.text));
      });
      await queue.enqueue(turn('bad', 'A'));
      await queue.enqueue(turn('good', 'A'));
      await waitFor(() => seen.length === 1, 'the good turn', 10_000);
      expect(seen).toEqual(['good']);
      expect(failures).toEqual([{ texts: ['bad'], message: 'Error: boom' }]);
      expect((await queue.stats()).failed).toBe(1);
    });

    it('tells how many turns run before a waiting turn, and nothing once it runs', async () => {
      const queue = await open();
      const started: string[] = [];
      const gates = new Map<string, () => void>();
      queue.process(async (batch) => {
        const text = batch.payloads.map((p) => p.text).join('+');
        await new Promise<void>((resolve) => {
          gates.set(text, resolve);
          started.push(text);
        });
      });
      await queue.enqueue({ ...turn('w1', 'A'), at: Date.now() - 3_000 });
      await waitFor(() => started.length === 1, 'the first batch');
      await queue.enqueue({ ...turn('w2', 'A'), at: Date.now() - 2_000 });
      await queue.enqueue({ ...turn('w3', 'A'), at: Date.now() - 1_000 });
      expect(await queue.waiting(turn('w1', 'A'))).toBeUndefined();
      expect(await queue.waiting(turn('w2', 'A'))).toEqual({ ahead: 1 });
      expect(await queue.waiting(turn('w3', 'A'))).toEqual({ ahead: 2 });
      expect(await queue.waiting(turn('nope', 'A'))).toBeUndefined();
      expect(await queue.waiting(turn('w2', 'B'))).toBeUndefined();
      gates.get('w1')?.();
      await waitFor(() => started.length === 2, 'the second batch', 10_000);
      expect(started[1]).toBe('w2');
      expect(await queue.waiting(turn('w2', 'A'))).toBeUndefined();
      expect(await queue.waiting(turn('w3', 'A'))).toEqual({ ahead: 1 });
      gates.get('w2')?.();
      await waitFor(() => started.length === 3, 'the third batch', 10_000);
      gates.get('w3')?.();
      await waitFor(async () => (await queue.stats()).waiting + (await queue.stats()).running === 0, 'done');
      expect(await queue.waiting(turn('w3', 'A'))).toBeUndefined();
    });

    it('a turn waiting for a free runner has none ahead; a burst being gathered does not wait', async () => {
      const queue = await open({ concurrency: 1, burstWindowMs: 60_000, burstMax: 1 });
      const started: string[] = [];
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      queue.process(async (batch) => {
        started.push(batch.payloads.map((p) => p.text).join('+'));
        await gate;
      });
      await queue.enqueue(turn('busy', 'A'));
      await waitFor(() => started.length === 1, 'the first batch');
      await queue.enqueue(turn('other', 'B'));
      expect(await queue.waiting(turn('other', 'B'))).toEqual({ ahead: 0 });
      release();
      await waitFor(() => started.length === 2, 'the other conversation', 10_000);
      expect(await queue.waiting(turn('other', 'B'))).toBeUndefined();

      const gathering = await open({ burstWindowMs: 60_000, burstMax: 8 });
      gathering.process(async () => {});
      await gathering.enqueue(turn('g1', 'C'));
      expect(await gathering.waiting(turn('g1', 'C'))).toBeUndefined();
    });

    it('gives each batch its first attempt and keeps saved state for the batch', async () => {
      const queue = await open();
      const states: Array<{ attempt: number; before: State | undefined; after: State | undefined }> = [];
      queue.process(async (batch) => {
        const before = batch.state;
        await batch.saveState({ shown: 'half' });
        states.push({ attempt: batch.attempt, before, after: batch.state });
      });
      await queue.enqueue(turn('one', 'A'));
      await waitFor(() => states.length === 1, 'the batch');
      expect(states[0]?.attempt).toBe(1);
      expect(states[0]?.before).toBeUndefined();
      expect(states[0]?.after).toEqual({ shown: 'half' });
      expect((await queue.stats()).waiting).toBe(0);
    });
  });
}
