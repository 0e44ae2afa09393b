/**
 * Entry point of the priming process (started by prime.ts): fills a cards folder's parse and
 * index caches in a process of its own: `node prime-process.js DIR CACHE_DIR`. Prints one JSON
 * line with its time and peak RSS; exits 1 with the reason on stderr when the folder cannot be
 * loaded.
 */
import { buildForRequest } from './build.js';

const [dir, cacheDir] = process.argv.slice(2);
if (!dir || !cacheDir) {
  process.stderr.write('usage: prime-process DIR CACHE_DIR\n');
  process.exit(2);
}
const started = performance.now();
const reply = buildForRequest({ id: 1, dir, cacheDir, primeOnly: true });
if (!reply.ok) {
  process.stderr.write(`${reply.error}\n`);
  process.exit(1);
}
const peakRssMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, peakRssMB })}\n`);
