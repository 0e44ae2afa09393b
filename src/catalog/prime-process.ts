/**
 * Entry point of the priming process (started by prime.ts): fills a cards folder's parse and
 * index caches in a process of its own: `node prime-process.js DIR CACHE_DIR [PARENT_PID
 * [SCANNER_POLICY_JSON]]`; given the enrichment policy, the scanner's tables too (built here,
 * the bot then wraps them instead of building them in its scanner worker, whose memory would
 * stay in the bot's RSS).
 * Prints one JSON line with its time and peak RSS; exits 1 with the reason on stderr when the
 * folder cannot be loaded. Dies with PARENT_PID (default: the process that started it).
 */
import type { BuildPolicy } from '../detect/scanner-build.js';
import { cachedDetector } from '../detect/scanner-cache.js';
import { buildForRequest } from './build.js';
import { dieWithParent } from './die-with-parent.js';
import { loadCatalog } from './load.js';

const [dir, cacheDir, parentPid, scannerPolicy] = process.argv.slice(2);
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
if (scannerPolicy) {
  // The catalog again, from the caches just filled (the parse's garbage is gone by now): the
  // same catalog the bot loads, so the same scanner cache key.
  const catalog = loadCatalog(dir, { cacheDir });
  cachedDetector(catalog, JSON.parse(scannerPolicy) as BuildPolicy, {}, cacheDir);
}
const peakRssMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, peakRssMB })}\n`);
