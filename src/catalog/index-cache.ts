/**
 * The caches of what a catalog derives from its cards, in the cache folder (cache.ts):
 *
 *   index-<catalog key>-names.json   the serialized names index of one catalog
 *   index-<catalog key>-text.json    the serialized prose index of one catalog
 *   index-<cards key>-actors.json    one catalog's grouping into actors (DerivedCatalog)
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedCard } from '../cards/model.js';
import { makeFolder, readText, writeAtomic } from './cache.js';
import { CARD_CACHE_VERSION } from './card-cache.js';
import type { Catalog, DerivedCatalog } from './catalog.js';
import type { ActorOverrides } from './overrides.js';

/** Bump when the index's fields or term processing change. */
const INDEX_CACHE_VERSION = 5;
/**
 * Bump when what the catalog derives from the cards changes: the grouping into actors
 * (actors.ts), the merged profiles (profile.ts), the catalog's warnings (catalog.ts).
 */
const ACTOR_CACHE_VERSION = 4;

// ---- search indexes ----

/** The indexes hold actors: the same cards grouped differently (overrides, manifests) differ. */
function indexCacheKey(catalog: Catalog): string {
  const h = createHash('sha256').update(`v${INDEX_CACHE_VERSION}`);
  for (const entry of catalog.cards) h.update(entry.source.hash);
  for (const actor of catalog.actors) {
    h.update(`|${actor.cards.map((c) => `${c.source.hash}:${c.source.origin ?? ''}`).join(',')}`);
  }
  return h.digest('hex').slice(0, 24);
}

/** Index cache files older than a week (other catalogs, other versions) are removed. */
function pruneOldIndexes(cacheDir: string, keep: string[]): void {
  const weekAgo = Date.now() - 7 * 24 * 3600 * 1000;
  for (const name of readdirSync(cacheDir)) {
    const path = join(cacheDir, name);
    if (!name.startsWith('index-') || keep.includes(path)) continue;
    if (statSync(path).mtimeMs < weekAgo) rmSync(path, { force: true });
  }
}

/** The cached serialized indexes of one catalog: read and save each part. */
export interface IndexCacheFiles {
  readNames(): string | undefined;
  /** Throws when there is no prose index cached (SearchIndex then builds it). */
  readText(): string;
  saveNames(json: string): void;
  saveText(json: string): void;
}

export function indexCacheFiles(cacheDir: string, catalog: Catalog): IndexCacheFiles {
  const key = indexCacheKey(catalog);
  const namesPath = join(cacheDir, `index-${key}-names.json`);
  const textPath = join(cacheDir, `index-${key}-text.json`);
  const save = (path: string, json: string) => {
    try {
      makeFolder(cacheDir);
      writeAtomic(path, json);
      pruneOldIndexes(cacheDir, [namesPath, textPath]);
    } catch {
      // The cache only saves time; a read-only disk is not an error.
    }
  };
  return {
    readNames: () => readText(namesPath),
    readText: () => readFileSync(textPath, 'utf8'),
    saveNames: (json) => save(namesPath, json),
    saveText: (json) => save(textPath, json),
  };
}

// ---- actors ----

/**
 * Everything the grouping into actors reads: each card's file, bytes (hash), source and
 * ATT&CK ids from the import manifest, in loading order, and the analyst's overrides. A changed
 * card, manifest or overrides file gives another key.
 */
function actorCacheKey(loaded: readonly LoadedCard[], overrides: ActorOverrides): string {
  const h = createHash('sha256').update(`v${ACTOR_CACHE_VERSION}|${CARD_CACHE_VERSION}|`);
  h.update(JSON.stringify(overrides));
  for (const { source } of loaded) {
    h.update(`|${source.file}\u0000${source.hash}\u0000${source.origin ?? ''}\u0000`);
    h.update((source.attackIds ?? []).join(','));
  }
  return h.digest('hex').slice(0, 24);
}

interface ActorCacheFile {
  version: number;
  cards: number;
  derived: DerivedCatalog;
}

/** The cached grouping of exactly these cards and overrides, or undefined. */
export interface ActorCache {
  read(): DerivedCatalog | undefined;
  save(derived: DerivedCatalog): void;
}

export function actorCache(
  cacheDir: string,
  loaded: readonly LoadedCard[],
  overrides: ActorOverrides,
): ActorCache {
  const path = join(cacheDir, `index-${actorCacheKey(loaded, overrides)}-actors.json`);
  return {
    read: () => {
      const text = readText(path);
      if (text === undefined) return undefined;
      try {
        const file = JSON.parse(text) as ActorCacheFile;
        const ok = file.version === ACTOR_CACHE_VERSION && file.cards === loaded.length;
        return ok && Array.isArray(file.derived?.kept) ? file.derived : undefined;
      } catch {
        return undefined;
      }
    },
    save: (derived) => {
      try {
        makeFolder(cacheDir);
        const file: ActorCacheFile = {
          version: ACTOR_CACHE_VERSION,
          cards: loaded.length,
          derived,
        };
        writeAtomic(path, JSON.stringify(file));
      } catch {
        // The cache only saves time; a read-only disk is not an error.
      }
    },
  };
}
