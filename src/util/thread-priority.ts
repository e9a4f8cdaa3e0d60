import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** What lowering the calling thread's priority did. */
export type ThreadPriority = { nice: number; tid: number } | { nice: 0; unsupported: string };

/**
 * Lowers the CPU priority of the calling thread only (not the process) to `nice` (1-19), where the
 * OS allows it per thread: on Linux the nice value belongs to each thread, and threads this one
 * starts later (onnxruntime's intra-op pool) inherit it. Elsewhere, or where /proc is missing, it
 * changes nothing and says why. Raising a priority needs privileges, so this only ever lowers it.
 */
export function lowerThreadPriority(nice: number): ThreadPriority {
  if (!Number.isInteger(nice) || nice < 1 || nice > 19)
    throw new RangeError(`nice must be 1-19, not ${nice}`);
  if (process.platform !== 'linux')
    return { nice: 0, unsupported: `per-thread priority on ${process.platform}` };
  let tid: number;
  try {
    // "<pid>/task/<tid>", resolved for the thread that reads it.
    tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
  } catch (error) {
    return { nice: 0, unsupported: `no /proc/thread-self (${(error as Error).message})` };
  }
  setPriority(tid, nice);
  return { nice, tid };
}
