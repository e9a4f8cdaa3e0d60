/**
 * Dedup across replicas and crashes: a copy is dropped only once the first copy was accepted (its
 * turn queued) or handled; a copy whose claimant never got that far (it died) goes on.
 */
import { describe, expect, it } from 'vitest';
import type { MessageContext } from '../../src/bot/pipeline/context.js';
import { dedup } from '../../src/bot/pipeline/dedup.js';
import { MemoryKeyValueStore } from '../../src/storage/kv/memory.js';
import { captureLogger } from '../helpers/capture-logger.js';
import { message } from '../helpers/messages.js';

function setup(retryUnfinished = true) {
  const kv = new MemoryKeyValueStore();
  const stages: string[] = [];
  const stage = dedup({
    kv,
    ttlMs: 60_000,
    retryUnfinished,
    metrics: { stage: (name, outcome) => stages.push(`${name}:${outcome}`), inFlight: () => {} },
  });
  const ctx = (): MessageContext =>
    ({ message: message({ id: 'm1' }), log: captureLogger().logger }) as unknown as MessageContext;
  return { kv, stages, stage, ctx };
}

describe('dedup', () => {
  it('drops a copy once the first was accepted, before its answer ended', async () => {
    const { stage, ctx, stages } = setup();
    let release: () => void = () => {};
    const answering = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = ctx();
    const running = stage(first, async () => {
      first.message.accepted?.();
      await answering;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    let ran = false;
    await stage(ctx(), async () => {
      ran = true;
    });
    expect(ran).toBe(false);
    release();
    await running;
    expect(stages).toEqual(['dedup:passed', 'dedup:duplicate']);
  });

  it('lets a copy through when the first copy’s replica died before accepting it', async () => {
    const { stage, ctx, stages, kv } = setup();
    // The claimant took the id and died (its pipeline never ended): the claim stays unfinished.
    await kv.setIfAbsent('dedup:slack:T1:m1', 'claim', 60_000);
    let ran = false;
    await stage(ctx(), async () => {
      ran = true;
    });
    expect(ran).toBe(true);
    expect(stages).toEqual(['dedup:unfinished_claim']);
    // That copy finished: later ones are dropped.
    await stage(ctx(), async () => {
      throw new Error('not again');
    });
    expect(stages.at(-1)).toBe('dedup:duplicate');
  });

  it('without a turn queue behind it, drops a copy of an unfinished claim (no double answer)', async () => {
    const { stage, ctx, stages, kv } = setup(false);
    await kv.setIfAbsent('dedup:slack:T1:m1', 'claim', 60_000);
    await stage(ctx(), async () => {
      throw new Error('not this copy');
    });
    expect(stages).toEqual(['dedup:duplicate']);
  });

  it('marks a message handled when the pipeline ends without accepting it (refused, say)', async () => {
    const { stage, ctx, stages } = setup();
    await stage(ctx(), async () => {});
    await stage(ctx(), async () => {
      throw new Error('not again');
    });
    expect(stages).toEqual(['dedup:passed', 'dedup:duplicate']);
  });
});
