/**
 * The caches of what a catalog derives from its cards, in the cache folder (cache.ts):
 *
 *   index-<catalog key>-names.json   the serialized names index of one catalog
 *   index-<catalog key>-text.json    the serialized prose index of one catalog
 *   index-<cards key>-actors.json    one catalog's grouping into actors (DerivedCatalog)
 *   index-<scanner key>-scanner.bin  the enrichment scanner's tables (src/detect/scanner-cache.ts)
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedCard } from '../cards/model.js';
import { asciiJson, makeFolder, readBytes, readText, writeAtomic } from './cache.js';
import { CARD_CACHE_VERSION } from './card-cache.js';
import type { Catalog, DerivedCatalog } from './catalog.js';
import type { ActorOverrides } from './overrides.js';
import type { ProfileRecipe } from './profile.js';

/** Bump when the index's fields or term processing change. */
const INDEX_CACHE_VERSION = 7;
/**
 * Bump when what the catalog derives from the cards changes: the grouping into actors
 * (actors.ts), the merged profiles (profile.ts), the catalog's warnings (catalog.ts).
 */
export const ACTOR_CACHE_VERSION = 9;

// ---- search indexes ----

/**
 * The indexes hold actors: the same cards grouped differently (overrides, manifests) differ.
 * The enrichment scanner's cache (src/detect/scanner-cache.ts) starts from this key too.
 */
export function indexCacheKey(catalog: Catalog): string {
  const h = createHash('sha256').update(`v${INDEX_CACHE_VERSION}`);
  for (const entry of catalog.cards) h.update(entry.source.hash);
  for (const actor of catalog.actors) {
    h.update(`|${actor.cards.map((c) => `${c.source.hash}:${c.source.origin ?? ''}`).join(',')}`);
  }
  return h.digest('hex').slice(0, 24);
}

/**
 * Index cache files kept of each kind (names, prose, actors), the newest by time: every change
 * to the catalog is another key, and a week of hot reloads and syncs piled up hundreds of
 * megabytes (a few MB per generation with the public catalogs loaded). Older than a week, any
 * is removed. Scanner files are kept apart (scanner-cache.ts).
 */
const KEEP_INDEXES = 4;
const WEEK_MS = 7 * 24 * 3600 * 1000;
/** "names.json", "text.json", "actors.json", "scanner.bin": what an index cache file holds. */
const kindOf = (path: string) => path.slice(path.lastIndexOf('-') + 1);

function pruneOldIndexes(cacheDir: string, keep: string[]): void {
  const weekAgo = Date.now() - WEEK_MS;
  const byKind = new Map<string, { path: string; time: number }[]>();
  // The current catalog's files on disk count among the newest of their kind.
  const kept = new Map<string, number>();
  for (const name of readdirSync(cacheDir)) {
    const path = join(cacheDir, name);
    if (!name.startsWith('index-')) continue;
    if (keep.includes(path)) {
      kept.set(kindOf(name), (kept.get(kindOf(name)) ?? 0) + 1);
      continue;
    }
    const time = statSync(path).mtimeMs;
    const kind = kindOf(name);
    if (time < weekAgo) rmSync(path, { force: true });
    else if (kind !== 'scanner.bin')
      byKind.set(kind, [...(byKind.get(kind) ?? []), { path, time }]);
  }
  for (const [kind, files] of byKind) {
    files.sort((a, b) => b.time - a.time);
    const keeping = KEEP_INDEXES - (kept.get(kind) ?? 0);
    for (const { path } of files.slice(keeping)) rmSync(path, { force: true });
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
  // Keyed on first use: an exact answer reads neither index, and hashing every card and actor
  // was a tenth of a warm start's catalog work.
  let paths: { names: string; text: string } | undefined;
  const pathsOf = () => {
    if (paths) return paths;
    const key = indexCacheKey(catalog);
    paths = {
      names: join(cacheDir, `index-${key}-names.json`),
      text: join(cacheDir, `index-${key}-text.json`),
    };
    return paths;
  };
  const save = (path: string, json: string) => {
    try {
      makeFolder(cacheDir);
      writeAtomic(path, json);
      pruneOldIndexes(cacheDir, [pathsOf().names, pathsOf().text]);
    } catch {
      // The cache only saves time; a read-only disk is not an error.
    }
  };
  return {
    readNames: () => readText(pathsOf().names),
    readText: () => readFileSync(pathsOf().text, 'utf8'),
    saveNames: (json) => save(pathsOf().names, json),
    saveText: (json) => save(pathsOf().text, json),
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

/**
 * The actor cache's layout: one line of JSON (the version, the card count, and the derived
 * catalog with each recipe replaced by where its JSON is), then the recipes one after the
 * other. A start parses the line; an actor's recipe when its merged profile is first needed.
 * The recipes were 345 KB of the three public catalogs' 560 KB, and a start merges none.
 */
interface ActorCacheHead {
  version: number;
  cards: number;
  derived: Omit<DerivedCatalog, 'actors'> & {
    actors: (Omit<DerivedCatalog['actors'][number], 'recipe'> & { at?: [number, number] })[];
  };
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
      const bytes = readBytes(path);
      if (bytes === undefined) return undefined;
      try {
        return fromActorCache(bytes, loaded.length);
      } catch {
        return undefined;
      }
    },
    save: (derived) => {
      try {
        makeFolder(cacheDir);
        writeAtomic(path, toActorCache(derived, loaded.length));
      } catch {
        // The cache only saves time; a read-only disk is not an error.
      }
    },
  };
}

function toActorCache(derived: DerivedCatalog, cards: number): string {
  const recipes: string[] = [];
  let at = 0;
  const actors = derived.actors.map(({ recipe, ...actor }) => {
    if (!recipe) return actor;
    // ASCII before measuring, so that the offsets are the file's bytes and string indexes.
    const json = asciiJson(JSON.stringify(recipe));
    recipes.push(json);
    at += json.length;
    return { ...actor, at: [at - json.length, json.length] as [number, number] };
  });
  const head: ActorCacheHead = {
    version: ACTOR_CACHE_VERSION,
    cards,
    derived: { ...derived, actors },
  };
  return `${JSON.stringify(head)}\n${recipes.join('')}`;
}

/**
 * The derived catalog in a cache file's bytes, each recipe read on first access; undefined when
 * the file is of another version or for another number of cards. A recipe that does not parse
 * throws where it is read, and the profile is then merged afresh (catalogActor).
 */
function fromActorCache(bytes: Buffer, cards: number): DerivedCatalog | undefined {
  const end = bytes.indexOf(0x0a);
  if (end < 0) return undefined;
  const head = JSON.parse(bytes.toString('utf8', 0, end)) as ActorCacheHead;
  const ok = head.version === ACTOR_CACHE_VERSION && head.cards === cards;
  if (!ok || !Array.isArray(head.derived?.kept) || !Array.isArray(head.derived.actors)) {
    return undefined;
  }
  const bodies = end + 1;
  const actors = head.derived.actors.map(({ at, ...actor }) => {
    if (!at) return actor;
    const [from, length] = at;
    let recipe: ProfileRecipe | undefined;
    return Object.defineProperty(actor, 'recipe', {
      enumerable: true,
      get: () => {
        recipe ??= JSON.parse(
          bytes.toString('utf8', bodies + from, bodies + from + length),
        ) as ProfileRecipe;
        return recipe;
      },
    }) as DerivedCatalog['actors'][number];
  });
  return { ...head.derived, actors };
}
