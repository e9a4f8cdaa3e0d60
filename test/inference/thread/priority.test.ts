import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { ThreadEngine } from '../../../src/inference/thread/thread-engine.js';
import { lowerThreadPriority } from '../../../src/util/thread-priority.js';
import { demoModelDir } from '../onnx/models.js';
import { openThread } from './support.js';

/** A thread's nice value as Linux reports it (field 19 of /proc/<pid>/task/<tid>/stat). */
function niceOf(tid: number): number {
  const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

let engine: ThreadEngine | undefined;
afterAll(async () => {
  await engine?.close();
});

describe('the engine thread priority (INFERENCE_THREAD_NICE)', () => {
  it('lowers the engine thread alone, and its onnxruntime pool threads with it; the main thread keeps its own', async () => {
    expect(process.platform).toBe('linux');
    engine = await openThread(await demoModelDir(), { INFERENCE_THREADS: 2 }, undefined, 7);
    const priority = engine.threadPriority();
    expect(priority).toMatchObject({ nice: 7 });
    const tid = 'tid' in priority ? priority.tid : -1;
    expect(niceOf(tid)).toBe(7);
    expect(niceOf(process.pid)).toBe(0);
    // Threads started after it (onnxruntime's intra-op pool for 2 threads) inherit the value.
    const tasks = (await import('node:fs')).readdirSync(`/proc/${process.pid}/task`).map(Number);
    expect(tasks.filter((t) => niceOf(t) === 7).length).toBeGreaterThanOrEqual(2);
    const answer = engine.generate({ messages: [{ role: 'user', content: 'hello' }], maxTokens: 4 });
    expect((await answer.result).usage.completionTokens).toBeGreaterThan(0);
  }, 60_000);

  it('refuses values outside 1-19 (raising a priority needs privileges; 0 means leave it)', () => {
    expect(() => lowerThreadPriority(0)).toThrow(RangeError);
    expect(() => lowerThreadPriority(20)).toThrow(RangeError);
  });
});
