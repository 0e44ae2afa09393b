/**
 * Background builds (the reload worker, the scanner worker) run at a lower CPU priority than
 * the thread that answers queries. On a machine with few cores, a full rebuild's worker holds
 * a core for seconds while the serving thread takes the new catalog in, and a query waited for
 * a core as long as for the work itself (measured on 2 cores: the serving thread runnable but
 * not running for 4-22 ms of each long wait). At a nice value of 10 the worker still gets every
 * core nobody else wants.
 *
 * Linux only: there a nice value belongs to one thread (setpriority(2), "BUGS") and
 * /proc/thread-self names it. Elsewhere it is the whole process's, so nothing is changed.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The nice value of a background build's thread. */
export const BACKGROUND_NICE = 10;

/**
 * Lower the calling worker thread's priority to BACKGROUND_NICE (never raise it, never the
 * main thread's). True when it did; false where it cannot, which only costs speed.
 */
export function lowerThisThreadsPriority(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0 || tid === process.pid) return false;
    if (getPriority(tid) < BACKGROUND_NICE) setPriority(tid, BACKGROUND_NICE);
    return true;
  } catch {
    return false;
  }
}
