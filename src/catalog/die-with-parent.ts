/**
 * A child process that must not outlive its parent (the priming process: parsing thousands of
 * cards for minutes for a bot that is gone). Its main thread is busy in one synchronous build,
 * so no event ('disconnect', stdin 'end') would ever be handled there: a small watchdog thread
 * checks the parent pid instead and kills the process when the parent is gone (the child is
 * then re-parented, to init or a subreaper).
 */
import { Worker } from 'node:worker_threads';

const WATCHDOG = `
const { workerData } = require('node:worker_threads');
const check = () => {
  if (process.ppid !== workerData.parent) process.kill(process.pid, 'SIGKILL');
};
check();
setInterval(check, workerData.everyMs);
`;

/** Kill this process within about `everyMs` of `parent` (its parent's pid) ending. */
export function dieWithParent(parent: number, everyMs = 200): void {
  // Already orphaned (the parent died while this process started): stop now.
  if (process.ppid !== parent) process.exit(1);
  const watchdog = new Worker(WATCHDOG, { eval: true, workerData: { parent, everyMs } });
  watchdog.unref(); // the work decides when the process ends, not the watchdog
}
