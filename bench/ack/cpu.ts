import { readFileSync } from 'node:fs';

/** USER_HZ: the unit of /proc's CPU times (100 on Linux everywhere in practice). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, in ms) the main thread of process `pid` has used so far, from
 * /proc/<pid>/task/<pid>/stat; undefined where there is no /proc. Unlike latency, it hardly moves
 * with what else the machine runs: the per-event work a contender does, counted.
 */
export function mainThreadCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    // Fields after the command name "(…)": state is field 3, utime 14 and stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
