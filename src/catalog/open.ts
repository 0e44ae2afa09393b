/**
 * Opening a cards folder for answering: every stage of loading (load.ts) and the search index
 * (catalog-index.ts), here or, for a large first start, with the caches filled by another
 * process first (prime.ts).
 */
import type { BuildPolicy } from '../detect/scanner-build.js';
import { log } from '../log.js';
import type { SearchIndex } from '../search/index.js';
import { usableCacheDir } from './cache.js';
import { cachedCardCount } from './card-cache.js';
import { buildIndex } from './catalog-index.js';
import { listCardFiles } from './files.js';
import { Library } from './library.js';
import { loadCatalog } from './load.js';
import { type PrimeStats, primeCachesInProcess } from './prime.js';

/** `extraDirs`: folders read together with the cards folder (the bundled sample). */
export function openIndex(
  cardsDir: string,
  cacheDir: string | false,
  extraDirs: readonly string[] = [],
): SearchIndex {
  return buildIndex(loadCatalog(cardsDir, { cacheDir, extraDirs }), cacheDir);
}

export function openLibrary(
  cardsDir: string,
  cacheDir: string | false,
  extraDirs: readonly string[] = [],
): Library {
  return new Library(openIndex(cardsDir, cacheDir, extraDirs));
}

/** From this many card files on, a first (uncached) load parses in a separate process. */
export const PRIME_PROCESS_THRESHOLD = 1000;

export interface ServingOptions {
  threshold?: number;
  /** Folders read together with the cards folder (the bundled sample). */
  extraDirs?: readonly string[];
  /**
   * The enrichment policy when the bot enriches: a first load's separate process builds and
   * saves the scanner's tables too (the enricher reads them from the cache folder).
   */
  scanner?: BuildPolicy;
  /** Fills the caches out of this process (tests count the calls); default: a child process. */
  prime?: (
    dir: string,
    cacheDir: string,
    files: number,
    scanner?: BuildPolicy,
  ) => Promise<PrimeStats | undefined>;
}

/**
 * The library `aptcard start` serves from. A large folder with nothing cached yet (a first
 * start, an upgrade) is parsed in a separate process that only fills the caches; this process
 * then loads from them as on any restart. Parsing thousands of cards makes hundreds of
 * megabytes of garbage, and a long-running process would keep the memory it grew to
 * (10,000 cards parsed in one go: about 350 MB RSS). Everything else loads here directly.
 */
export async function openServingLibrary(
  cardsDir: string,
  cacheSetting: string | false,
  options: ServingOptions = {},
): Promise<Library> {
  // Checked before anything else touches it: an unusable folder (under /proc, say) is one
  // warning, and the child process never sees it.
  const cacheDir = usableCacheDir(cacheSetting);
  const threshold = options.threshold ?? PRIME_PROCESS_THRESHOLD;
  if (cacheDir) {
    let files = 0;
    try {
      files = listCardFiles(cardsDir).length;
    } catch {
      files = 0; // loadCatalog reports the unreadable folder
    }
    // What the cache does not hold: everything on a first start or after an upgrade (a cache
    // of another version), the rest after a start stopped while priming.
    if (files - cachedCardCount(cardsDir, cacheDir) >= threshold) {
      try {
        log.info(
          { cards: files },
          'first load of this folder: parsing it in a separate process (about 2 s per 1,000 cards; later starts read the caches)',
        );
        const prime =
          options.prime ??
          ((d: string, c: string, n: number, p?: BuildPolicy) =>
            primeCachesInProcess(d, c, n, undefined, p));
        const stats = await prime(cardsDir, cacheDir, files, options.scanner);
        if (stats) {
          log.info(
            {
              cards: files,
              seconds: Math.round(stats.ms / 100) / 10,
              peakRssMB: Math.round(stats.peakRssMB),
            },
            'caches filled',
          );
        }
      } catch (err) {
        // Only a memory optimisation: load here instead.
        log.warn(
          { err: (err as Error).message },
          'card loader process failed; loading in this process',
        );
      }
    }
  }
  return openLibrary(cardsDir, cacheDir, options.extraDirs);
}
