/**
 * Loads a catalog in a fresh process the way `aptcard start` does (openServingLibrary: a worker
 * thread from 1,000 cards on) and prints one JSON line: time to ready, RSS, query times.
 */
import { openServingLibrary } from '../src/catalog/open.js';

const [dir, cacheDir] = process.argv.slice(2);
if (!dir || !cacheDir) throw new Error('usage: scale-child DIR CACHE_DIR');
const t = performance.now();
const index = (await openServingLibrary(dir, cacheDir)).current;
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
// A bot idles between messages: V8 gives unused heap back after some quiet seconds.
await new Promise((resolve) => setTimeout(resolve, 35_000));
index.search('tg-1234'); // still answering
const idleRssMB = process.memoryUsage().rss / 1048576;
console.log(JSON.stringify({ cards: index.size, ms, warmMs, rssMB, idleRssMB, queryMs, proseMs }));
