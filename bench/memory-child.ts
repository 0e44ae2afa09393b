/**
 * What holds the memory of a warm 10,000-card start (issue 19), measured stage by stage in a
 * fresh process run with --expose-gc: the heap and off-heap bytes after a full collection,
 * once the catalog is open (cards not parsed yet), once both MiniSearch indexes are loaded,
 * once every card is parsed (warm(): the filter fields), and once the enrichment scanner is
 * there, as `aptcard start` has them all: its tables read from the cache folder as the bot
 * reads them (saved by the scale bench's runs before this one), else built here. Prints one
 * JSON line.
 */
import { openLibrary } from '../src/catalog/open.js';
import { loadConfig } from '../src/config.js';
import { Detector } from '../src/detect/detector.js';
import { readCachedTables } from '../src/detect/scanner-cache.js';
import { log } from '../src/log.js';

const [dir, cacheDir] = process.argv.slice(2);
if (!dir || !cacheDir) throw new Error('usage: memory-child DIR CACHE_DIR');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
log.level = 'warn';

function used(): { heapMB: number; offHeapMB: number; rssMB: number } {
  gc?.();
  const m = process.memoryUsage();
  return {
    heapMB: m.heapUsed / 1048576,
    // external already includes arrayBuffers (the scanner's tables).
    offHeapMB: m.external / 1048576,
    rssMB: m.rss / 1048576,
  };
}

const start = used();
const index = openLibrary(dir, cacheDir).current;
index.search('tg-1234');
const opened = used();
index.search('kavenro panda');
index.search('telecom operators ministries');
const indexes = used();
index.warm();
const cards = used();
const { allow, deny } = loadConfig({}, dir).enrichment;
const { catalog } = index;
const tables = await readCachedTables(catalog, { allow, deny }, cacheDir);
const detector = tables
  ? new Detector({ tables, entryAt: (i) => catalog.actors[i]!.profile.entry })
  : new Detector(catalog.profiles, { allow, deny });
detector.detect('warming up with TG-1234');
const scanner = used();
console.log(
  JSON.stringify({
    start,
    opened,
    indexes,
    cards,
    scanner,
    scannerCached: tables !== undefined,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
