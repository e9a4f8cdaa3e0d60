import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../src/util/error-message.js';
import { sleep } from '../../src/util/sleep.js';
import { throttled } from '../../src/util/throttled.js';

describe('sleep', () => {
  it('resolves after the time', async () => {
    const started = performance.now();
    await sleep(30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('rejects with the reason at once when the signal aborts, or was aborted already', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const waiting = sleep(10_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(performance.now() - started).toBeLessThan(1_000);
    await expect(sleep(10_000, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
  });
});

describe('errorMessage', () => {
  it('is an Error’s message, or anything else as a string', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage(42)).toBe('42');
  });
});

describe('throttled', () => {
  it('passes an error on at most once per interval, and at once when the message changes', () => {
    const seen: string[] = [];
    const log = throttled(60_000, (error) => seen.push(error.message));
    log(new Error('a'));
    log(new Error('a'));
    log(new Error('b'));
    log(new Error('b'));
    expect(seen).toEqual(['a', 'b']);
  });
});
