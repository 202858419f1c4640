/**
 * Research work (backtests, parameter searches) runs in worker threads at a
 * lower scheduling priority than the engine's main thread. On a machine
 * whose cores are all busy with trials, the main thread (orders, risk, the
 * emergency stop, the UI's socket) then gets a core as soon as it wakes,
 * instead of waiting for a worker's time slice to end.
 *
 * The ML worker is not lowered: it also scores live strategies' signals,
 * and a live decision must not wait behind a backtest.
 *
 * Only Linux can lower one thread: there a thread's id is a task id
 * (/proc/thread-self names it) and setpriority applies to that task alone.
 * Elsewhere `os.setPriority` would lower the whole process, the engine
 * included, so nothing is changed and null says so.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The nice value research workers run at: well behind the engine, not starved when the machine is idle. */
export const BACKGROUND_NICE = 10;

/** This thread's task id on Linux; null elsewhere or when /proc cannot say. */
function taskId(): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const id = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(id) && id > 0 ? id : null;
  } catch {
    return null;
  }
}

/**
 * Lowers the calling thread (and only it) to `nice`, never raising it. Answers the nice value
 * it now runs at, or null when this platform cannot lower one thread alone
 * or the system refused (nothing changed then).
 */
export function lowerThreadPriority(nice: number = BACKGROUND_NICE): number | null {
  const id = taskId();
  if (id === null) return null;
  // Only ever lowered: a thread started already behind `nice` (Keel itself run niced) stays where it is.
  const now = threadNice();
  if (now !== null && now >= nice) return now;
  try {
    setPriority(id, nice);
  } catch {
    return null;
  }
  return threadNice();
}

/** The calling thread's nice value (field 19 of its stat line); null where there is no /proc. */
export function threadNice(): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const nice = Number(fields[16]);
    return Number.isInteger(nice) ? nice : null;
  } catch {
    return null;
  }
}
