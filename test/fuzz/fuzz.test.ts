import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/fake-slack.js';
import { lostControl, runFuzz } from './drive.js';
import { type FuzzTarget, startFuzzTarget } from './target.js';

/** `npm run drill:fuzz -- --n 100000 --seed 7` runs the same generator for longer. */
const N = 10_000;
const SEED = 22;

let target: FuzzTarget;
beforeAll(async () => {
  target = await startFuzzTarget();
});
afterAll(async () => {
  await target?.close();
});

describe('fuzzing every public endpoint of `teambot serve` (a child process)', () => {
  it(`answers ${N} malformed, unroutable, oversize or hostile requests with no 5xx, fast, and loses no valid message`, {
    timeout: 180_000,
  }, async () => {
    const report = await runFuzz(target, { n: N, seed: SEED });
    expect(report.sent).toBe(N);
    expect(report.failures).toEqual([]);
    expect(report.slow).toEqual([]);
    expect(report.healthFailures).toBe(0);
    // Every endpoint family was reached, and the gates let most requests through to the parsers.
    for (const kind of [
      'slack.event',
      'slack.command',
      'slack.interaction',
      'lark.event',
      'lark.card',
      'api.chat',
      'api.task',
      'files',
      'oversize.slack',
      'encoding.bomb',
    ]) {
      expect(report.byKind[kind] ?? 0, kind).toBeGreaterThan(0);
    }
    expect(report.statuses['413'] ?? 0).toBeGreaterThan(0);
    expect(report.statuses['200'] ?? 0).toBeGreaterThan(N / 10);

    const answered = (channel: string) => target.slack.messages.some((m) => m.channel === channel);
    await waitFor(
      () => report.canaries.every(answered),
      'an answer to every valid message sent amid the fuzz',
      20_000,
    );
    expect(report.canaries.length).toBe(N / 500);

    const health = await fetch(`${target.url}/health`);
    expect(health.status).toBe(200);
    expect(lostControl(target.serve.stdout() + target.serve.stderr())).toEqual([]);
    expect(target.serve.child.exitCode).toBeNull();
    expect(await target.close()).toBe(0);
  });
});
