/** Loads a catalog in a fresh process and prints one JSON line: time to ready, RSS, a query. */
import { loadCatalog } from '../src/catalog/load.js';
import { buildIndex } from '../src/catalog/open.js';

const [dir, cacheDir] = process.argv.slice(2);
if (!dir || !cacheDir) throw new Error('usage: scale-child DIR CACHE_DIR');
const t = performance.now();
const index = buildIndex(loadCatalog(dir, { cacheDir }), cacheDir);
if (process.argv[4] === 'full') index.warm();
index.search('tg-1234');
const ms = performance.now() - t;
let t0 = performance.now();
index.search('kavenro panda');
const queryMs = performance.now() - t0;
t0 = performance.now();
index.search('telecom operators ministries');
const proseMs = performance.now() - t0;
const rssMB = process.memoryUsage().rss / 1048576;
console.log(JSON.stringify({ cards: index.size, ms, rssMB, queryMs, proseMs }));
