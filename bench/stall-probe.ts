/**
 * A 1 ms interval on the main thread standing in for queries: its longest gap is the longest a
 * query would have waited. On Linux the gap is also split, from the thread's scheduler counts
 * (/proc/thread-self/schedstat: time on a core, time runnable but waiting for one), into the
 * serving thread's own work (its steps and its collector's pauses) and the wait for a core
 * that the other threads (the reload worker, the collector's helpers) or other processes held.
 * On a shared 2-core machine the second part is often the larger.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export interface Stall {
  /** The longest gap between two ticks, in ms. */
  ms: number;
  /** Of it, the main thread on a core (undefined off Linux). */
  onCoreMs?: number;
  /** Of it, the main thread runnable but not running. */
  waitingMs?: number;
}

/** The scheduler counts of the calling thread, in ms; undefined where there are none. */
function schedulerClock(): { read(): [number, number] | undefined; close(): void } {
  let fd: number | undefined;
  try {
    fd = openSync('/proc/thread-self/schedstat', 'r');
  } catch {
    return { read: () => undefined, close: () => {} };
  }
  const buffer = Buffer.alloc(128);
  return {
    read: () => {
      if (fd === undefined) return undefined;
      // The counts change at scheduler events, in steps of up to a clock tick (4 ms here).
      const n = readSync(fd, buffer, 0, buffer.length, 0);
      const [run, wait] = buffer.toString('latin1', 0, n).split(' ').map(Number);
      return run === undefined || wait === undefined ? undefined : [run / 1e6, wait / 1e6];
    },
    close: () => {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/** Start the probe; `stop` lets it see the end of a stall first. */
export function stallProbe(): { stop(): Promise<Stall> } {
  const clock = schedulerClock();
  let last = performance.now();
  let lastCounts = clock.read();
  const stall: Stall = { ms: 0 };
  const probe = setInterval(() => {
    const now = performance.now();
    const counts = clock.read();
    const gap = now - last;
    if (counts && lastCounts && gap > stall.ms) {
      stall.onCoreMs = counts[0] - lastCounts[0];
      stall.waitingMs = counts[1] - lastCounts[1];
    }
    stall.ms = Math.max(stall.ms, gap);
    last = now;
    lastCounts = counts;
  }, 1);
  return {
    stop: async () => {
      await new Promise((r) => setTimeout(r, 30));
      clearInterval(probe);
      clock.close();
      return stall;
    },
  };
}

/** "23.1 ms (on a core 8.0 ms of it, waiting for one 14.9 ms)", or just "23.1 ms". */
export function describeStall(stall: Stall, fmt: (n: number) => string): string {
  if (stall.onCoreMs === undefined || stall.waitingMs === undefined) return `${fmt(stall.ms)} ms`;
  return `${fmt(stall.ms)} ms (the serving thread on a core ${fmt(stall.onCoreMs)} ms of it, waiting for one ${fmt(stall.waitingMs)} ms)`;
}
