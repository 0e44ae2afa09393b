/**
 * Loads a catalog in a fresh process the way `aptcard start` does (openServingLibrary: caches
 * filled by a separate process from 1,000 uncached cards on; the enrichment scanner built by
 * AliasEnricher in its worker, as start.ts makes it) and prints one JSON line: time to ready,
 * RSS (now, peak, after idling), the priming process's peak, query times, the scanner's time.
 */
import { openServingLibrary } from '../src/catalog/open.js';
import { type PrimeStats, primeCachesInProcess } from '../src/catalog/prime.js';
import { loadConfig } from '../src/config.js';
import { AliasEnricher } from '../src/detect/enricher.js';
import type { BuildPolicy } from '../src/detect/scanner-build.js';
import { log } from '../src/log.js';

const [dir, cacheDir, idle = '35000'] = process.argv.slice(2);
if (!dir || !cacheDir) throw new Error('usage: scale-child DIR CACHE_DIR [IDLE_MS]');
const t = performance.now();
log.level = 'warn'; // the bench prints the figures itself
let primed: PrimeStats | undefined;
const prime = async (d: string, c: string, files: number, scanner?: BuildPolicy) => {
  primed = await primeCachesInProcess(d, c, files, undefined, scanner);
  return primed;
};
// The enricher start.ts makes (enrichment on by default): its scanner worker builds the tables
// unless a first load's priming process or an earlier run saved them.
const enrichment = { ...loadConfig({}, dir).enrichment, enabled: true };
const scanner = { allow: enrichment.allow, deny: enrichment.deny };
const library = await openServingLibrary(dir, cacheDir, { prime, scanner });
const index = library.current;
index.search('tg-1234');
const ms = performance.now() - t;
let t0 = performance.now();
index.warm(); // what aptcard start does right after start-up
const warmMs = performance.now() - t0;
t0 = performance.now();
const keepAlive = setInterval(() => {}, 1000); // the scanner worker is unref'd
let enricher: AliasEnricher | undefined;
const scannerMs = await new Promise<number>((resolve) => {
  enricher = new AliasEnricher(enrichment, {
    library,
    cacheDir,
    onScannerReady: () => resolve(performance.now() - t0),
  });
});
clearInterval(keepAlive);
t0 = performance.now();
index.search('kavenro panda');
const queryMs = performance.now() - t0;
t0 = performance.now();
index.search('telecom operators ministries');
const proseMs = performance.now() - t0;
const rssMB = process.memoryUsage().rss / 1048576;
const peakRssMB = process.resourceUsage().maxRSS / 1024;
// A bot idles between messages: V8 gives unused heap back after some quiet seconds.
await new Promise((resolve) => setTimeout(resolve, Number(idle)));
index.search('tg-1234'); // still answering
const idleRssMB = process.memoryUsage().rss / 1048576;
console.log(
  JSON.stringify({
    cards: index.size,
    ms,
    warmMs,
    scannerMs,
    rssMB,
    peakRssMB,
    primePeakRssMB: primed?.peakRssMB ?? null,
    primeMs: primed?.ms ?? null,
    primeStages: primed?.stages ?? null,
    idleRssMB,
    queryMs,
    proseMs,
  }),
);
await enricher?.saved(); // a first start saves the tables for the next
await enricher?.stop();
process.exit(0); // the store's and library's timers are not this bench's to wait for
