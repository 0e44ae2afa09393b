import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { log } from '../log.js';
import { SearchIndex } from '../search/index.js';
import type { Catalog } from './catalog.js';
import { Library } from './library.js';
import { hasCardCache, listCardFiles, loadCatalog } from './load.js';
import { type PrimeStats, primeCachesInProcess } from './worker-load.js';

/** Bump when the index's fields or term processing change. */
const INDEX_CACHE_VERSION = 4;

/** The indexes hold actors: the same cards grouped differently (overrides, manifests) differ. */
function indexCacheKey(catalog: Catalog): string {
  const h = createHash('sha256').update(`v${INDEX_CACHE_VERSION}`);
  for (const entry of catalog.cards) h.update(entry.source.hash);
  for (const actor of catalog.actors) {
    h.update(`|${actor.cards.map((c) => `${c.source.hash}:${c.source.origin ?? ''}`).join(',')}`);
  }
  return h.digest('hex').slice(0, 24);
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Index cache files older than a week (other catalogs, other versions) are removed. */
function pruneOld(cacheDir: string, keep: string[]): void {
  const weekAgo = Date.now() - 7 * 24 * 3600 * 1000;
  for (const name of readdirSync(cacheDir)) {
    const path = join(cacheDir, name);
    if (!name.startsWith('index-') || keep.includes(path)) continue;
    if (statSync(path).mtimeMs < weekAgo) rmSync(path, { force: true });
  }
}

/**
 * Build the search index for a catalog, reusing the serialized MiniSearch indexes from an
 * earlier run when the cards are the same (building them costs far more than loading them).
 * The prose index is saved when it is first built, loaded when it is first needed.
 */
export function buildIndex(catalog: Catalog, cacheDir: string | false): SearchIndex {
  if (!cacheDir) return new SearchIndex(catalog);
  const key = indexCacheKey(catalog);
  const namesPath = join(cacheDir, `index-${key}-names.json`);
  const textPath = join(cacheDir, `index-${key}-text.json`);
  const save = (path: string, json: string) => {
    try {
      mkdirSync(cacheDir, { recursive: true });
      writeAtomic(path, json);
      pruneOld(cacheDir, [namesPath, textPath]);
    } catch {
      // The cache only saves time; a read-only disk is not an error.
    }
  };
  let names: string | undefined;
  try {
    names = readFileSync(namesPath, 'utf8');
  } catch {
    names = undefined;
  }
  const index = new SearchIndex(catalog, {
    ...(names ? { names } : {}),
    text: () => readFileSync(textPath, 'utf8'),
    saveText: (json) => save(textPath, json),
  });
  if (!names) save(namesPath, index.serializeNames());
  return index;
}

export function openIndex(cardsDir: string, cacheDir: string | false): SearchIndex {
  return buildIndex(loadCatalog(cardsDir, { cacheDir }), cacheDir);
}

export function openLibrary(cardsDir: string, cacheDir: string | false): Library {
  return new Library(openIndex(cardsDir, cacheDir));
}

/** From this many card files on, a first (uncached) load parses in a separate process. */
export const PRIME_PROCESS_THRESHOLD = 1000;

export interface ServingOptions {
  threshold?: number;
  /** Fills the caches out of this process (tests count the calls); default: a child process. */
  prime?: (dir: string, cacheDir: string, files: number) => Promise<PrimeStats | undefined>;
}

/**
 * The library `aptcard start` serves from. A large folder with nothing cached yet (a first
 * start, an upgrade) is parsed in a separate process that only fills the caches; this process
 * then loads from them as on any restart. Parsing thousands of cards makes hundreds of
 * megabytes of garbage, and a long-running process would keep the memory it grew to
 * (10,000 cards: about 400 MB RSS instead of about 290). Everything else loads here directly.
 */
export async function openServingLibrary(
  cardsDir: string,
  cacheDir: string | false,
  options: ServingOptions = {},
): Promise<Library> {
  const threshold = options.threshold ?? PRIME_PROCESS_THRESHOLD;
  if (cacheDir && !hasCardCache(cardsDir, cacheDir)) {
    let files = 0;
    try {
      files = listCardFiles(cardsDir).length;
    } catch {
      files = 0; // loadCatalog reports the unreadable folder
    }
    if (files >= threshold) {
      try {
        log.info(
          { cards: files },
          'first load of this folder: parsing it in a separate process (about 2 s per 1,000 cards; later starts read the caches)',
        );
        const prime = options.prime ?? primeCachesInProcess;
        const stats = await prime(cardsDir, cacheDir, files);
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
  return openLibrary(cardsDir, cacheDir);
}
