/**
 * Entry point of the priming process (started by prime.ts): fills a cards folder's parse and
 * index caches in a process of its own: `node prime-process.js DIR CACHE_DIR [PARENT_PID]`.
 * Prints one JSON line with its time and peak RSS; exits 1 with the reason on stderr when the
 * folder cannot be loaded. Dies with PARENT_PID (default: the process that started it).
 */
import { buildForRequest } from './build.js';
import { dieWithParent } from './die-with-parent.js';

const [dir, cacheDir, parentPid] = process.argv.slice(2);
if (!dir || !cacheDir) {
  process.stderr.write('usage: prime-process DIR CACHE_DIR [PARENT_PID]\n');
  process.exit(2);
}
dieWithParent(Number(parentPid) || process.ppid);
const started = performance.now();
const reply = buildForRequest({ id: 1, dir, cacheDir, primeOnly: true });
if (!reply.ok) {
  process.stderr.write(`${reply.error}\n`);
  process.exit(1);
}
const peakRssMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, peakRssMB })}\n`);
