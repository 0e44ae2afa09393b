import type { LoadedCard } from '../cards/model.js';
import { defaultCacheDir, usableCacheDir } from './cache.js';
import { readCardCache, writeCardCache } from './card-cache.js';
import { buildCatalog, type Catalog, derivedCatalog } from './catalog.js';
import { listCardFolder } from './files.js';
import { actorCache } from './index-cache.js';
import type { CatalogIssue } from './issues.js';
import { type ActorOverrides, readOverrides } from './overrides.js';
import { parseCardFiles } from './parse-cards.js';

// Where the configuration and the importer have always found these.
export { defaultCacheDir } from './cache.js';
export { hasCardCache } from './card-cache.js';
export { listCardFiles } from './files.js';

export interface LoadOptions {
  /** Folder for the parsed-card cache; `false` disables it. Default: $XDG_CACHE_HOME/aptcard. */
  cacheDir?: string | false;
  /**
   * Folders read together with `dir` (the bundled sample beside the synced catalogs). Their
   * cards join the same catalog; overrides are read from `dir` only.
   */
  extraDirs?: readonly string[];
}

/**
 * Load every card below `dir`. A file that is not a card becomes an error issue (with file and
 * line) and is skipped; every other card still loads. Parsed cards are cached by content hash,
 * so a restart re-parses only the files that changed.
 */
export function loadCatalog(dir: string, options: LoadOptions = {}): Catalog {
  const cacheDir = usableCacheDir(options.cacheDir ?? defaultCacheDir());
  const main = loadFolder(dir, cacheDir);
  if (!main.ok) return buildCatalog([], main.issues);
  const extra = (options.extraDirs ?? []).map((d) => loadFolder(d, cacheDir));
  const overrides = readOverrides(dir);
  return cachedCatalog(
    [main, ...extra].flatMap((f) => f.cards),
    [...main.issues, ...extra.flatMap((f) => f.issues), ...overrides.issues],
    overrides.overrides,
    cacheDir,
  );
}

/**
 * Stage 3 through the actor cache: the grouping into actors and the rest derived from these
 * exact cards and overrides is read when an earlier run saved it, else derived and saved. A
 * cache file that does not fit the cards (damaged) is a miss like any other.
 */
function cachedCatalog(
  loaded: LoadedCard[],
  issues: CatalogIssue[],
  overrides: ActorOverrides,
  cacheDir: string | false,
): Catalog {
  if (!cacheDir) return buildCatalog(loaded, issues, overrides);
  const cache = actorCache(cacheDir, loaded, overrides);
  const derived = cache.read();
  if (derived) {
    try {
      return buildCatalog(loaded, issues, overrides, derived);
    } catch {
      // Positions that do not fit these cards: derive afresh below.
    }
  }
  const catalog = buildCatalog(loaded, issues, overrides);
  const made = derivedCatalog(catalog);
  if (made) cache.save(made);
  return catalog;
}

/** One folder's cards (stages 1 and 2), with its own parsed-card cache. */
function loadFolder(
  dir: string,
  cacheDir: string | false,
): { ok: boolean; cards: LoadedCard[]; issues: CatalogIssue[] } {
  const listed = listCardFolder(dir);
  if (!listed.ok) return { ok: false, cards: [], issues: [listed.issue] };
  const { files, issues: scanIssues } = listed;
  const cached = cacheDir ? readCardCache(cacheDir, dir) : { parses: {}, stamps: {} };
  const parsed = parseCardFiles(files, cached, dir);
  const known = cached.counts ?? {
    parses: Object.keys(cached.parses).length,
    stamps: Object.keys(cached.stamps).length,
  };
  const changed =
    parsed.parsedAny ||
    known.parses !== parsed.counts.parses ||
    known.stamps !== parsed.counts.stamps;
  if (cacheDir && changed) writeCardCache(cacheDir, dir, parsed);
  return { ok: true, cards: parsed.cards, issues: [...scanIssues, ...parsed.issues] };
}
