/**
 * Loads a catalog in a fresh process the way `aptcard start` does (openServingLibrary: caches
 * filled by a separate process from 1,000 uncached cards on) and prints one JSON line: time to
 * ready, RSS (now, peak, after idling), the priming process's peak, query times.
 */
import { openServingLibrary } from '../src/catalog/open.js';
import { type PrimeStats, primeCachesInProcess } from '../src/catalog/prime.js';
import { log } from '../src/log.js';

const [dir, cacheDir] = process.argv.slice(2);
if (!dir || !cacheDir) throw new Error('usage: scale-child DIR CACHE_DIR');
const t = performance.now();
log.level = 'warn'; // the bench prints the figures itself
let primed: PrimeStats | undefined;
const prime = async (d: string, c: string, files: number) => {
  primed = await primeCachesInProcess(d, c, files);
  return primed;
};
const index = (await openServingLibrary(dir, cacheDir, { prime })).current;
index.search('tg-1234');
const ms = performance.now() - t;
let t0 = performance.now();
index.warm(); // what aptcard start does right after start-up
const warmMs = performance.now() - t0;
t0 = performance.now();
index.search('kavenro panda');
const queryMs = performance.now() - t0;
t0 = performance.now();
index.search('telecom operators ministries');
const proseMs = performance.now() - t0;
const rssMB = process.memoryUsage().rss / 1048576;
const peakRssMB = process.resourceUsage().maxRSS / 1024;
// A bot idles between messages: V8 gives unused heap back after some quiet seconds.
await new Promise((resolve) => setTimeout(resolve, 35_000));
index.search('tg-1234'); // still answering
const idleRssMB = process.memoryUsage().rss / 1048576;
console.log(
  JSON.stringify({
    cards: index.size,
    ms,
    warmMs,
    rssMB,
    peakRssMB,
    primePeakRssMB: primed?.peakRssMB ?? null,
    idleRssMB,
    queryMs,
    proseMs,
  }),
);
