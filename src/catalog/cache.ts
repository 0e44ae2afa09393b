/**
 * The on-disk caches, all in one folder (CACHE_DIR, default $XDG_CACHE_HOME/aptcard):
 *
 *   cards-<folder key>.json          parsed cards of one cards folder, by content hash
 *   index-<catalog key>-names.json   the serialized names index of one catalog
 *   index-<catalog key>-text.json    the serialized prose index of one catalog
 *   index-<cards key>-actors.json    one catalog's grouping into actors (DerivedCatalog)
 *
 * The caches only save time: every failure to read one is a miss and every failure to write
 * one is ignored, so a read-only or missing cache folder never stops a load.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  type Stats,
  statfsSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { ActorCard, LoadedCard } from '../cards/model.js';
import { log } from '../log.js';
import type { Catalog, DerivedCatalog } from './catalog.js';
import type { ActorOverrides } from './overrides.js';

/** Bump when the parser's output changes, so old parsed-card caches are ignored. */
const CARD_CACHE_VERSION = 3;
/** Bump when the index's fields or term processing change. */
const INDEX_CACHE_VERSION = 4;
/**
 * Bump when what the catalog derives from the cards changes: the grouping into actors
 * (actors.ts), the merged profiles (profile.ts), the catalog's warnings (catalog.ts).
 */
const ACTOR_CACHE_VERSION = 3;

export function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'aptcard');
}

const NON_ASCII_RE = /[\u007f-\uffff]/g;

/**
 * JSON text with every character past ASCII written as a \u escape: the same JSON, but read
 * back as a one-byte string. A few accented letters among megabytes of text would otherwise
 * make the whole file a two-byte string, slower to decode and to parse (the three public
 * catalogs' parsed cards: 24 ms read and parsed, 13-16 ms escaped).
 */
export function asciiJson(json: string): string {
  return json.replace(NON_ASCII_RE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Write JSON `text` to `path` (as asciiJson) through a temporary file: a concurrent reader sees
 * the old or the new file. A failed write (a full disk) removes its partial temporary file
 * before it throws.
 */
function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, asciiJson(text));
    renameSync(tmp, path);
  } catch (err) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Nothing more to do here; the next start sweeps it (sweepStaleTemporaries).
    }
    throw err;
  }
}

// ---- the cache folder ----

/**
 * Filesystems that hold no files of ours, by statfs type. Under /proc, mkdir fails with ENOENT
 * on an existing parent, and Node's recursive mkdirSync retries that forever at 100% CPU.
 */
const VIRTUAL_FILESYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
]);

/** `dir` or its nearest parent that exists, and the folders below it still to make (top first). */
function nearestExisting(dir: string): { path: string; stat: Stats; missing: string[] } {
  const missing: string[] = [];
  let path = resolve(dir);
  for (;;) {
    try {
      return { path, stat: statSync(path), missing };
    } catch (err) {
      const parent = dirname(path);
      // ENOTDIR: a file on the way, found (and reported) one level up.
      const code = (err as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === path) throw err;
      missing.unshift(path);
      path = parent;
    }
  }
}

/**
 * Make the folder one level at a time, never with mkdirSync's recursive retry loop: one mkdir
 * per missing level, so a filesystem that refuses fails at once.
 */
function makeFolder(dir: string): void {
  const { path, stat, missing } = nearestExisting(dir);
  if (!stat.isDirectory()) throw new Error(`${path} is not a folder`);
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (err) {
      // Made meanwhile by another process: fine when it is a folder.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(level).isDirectory())
        throw err;
    }
  }
}

/** Why `dir` cannot hold the caches, or undefined. Bounded: a few stats and mkdirs. */
export function cacheFolderProblem(dir: string): string | undefined {
  try {
    const { path, stat } = nearestExisting(dir);
    if (!stat.isDirectory()) return `${path} is not a folder`;
    let type: number | undefined;
    try {
      type = Number(statfsSync(path).type);
    } catch {
      type = undefined; // no statfs here: the mkdir below still fails fast
    }
    const virtual = type === undefined ? undefined : VIRTUAL_FILESYSTEMS.get(type);
    if (virtual) return `${path} is on the ${virtual} filesystem`;
    makeFolder(dir);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Temporary files of writeAtomic: "<cache file>.<pid>.tmp". */
const TEMPORARY_RE = /^(?:cards|index)-[^/]+\.(\d+)\.tmp$/;
/** A temporary file this old is a leftover even if its pid is alive again (a reused pid). */
const STALE_TEMPORARY_MS = 3600_000;

function processAlive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

/** Remove the temporary files that killed processes (or a full disk) left in the cache folder. */
export function sweepStaleTemporaries(cacheDir: string): void {
  let names: string[];
  try {
    names = readdirSync(cacheDir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    const match = TEMPORARY_RE.exec(name);
    if (!match) continue;
    const path = join(cacheDir, name);
    try {
      const fresh = now - statSync(path).mtimeMs < STALE_TEMPORARY_MS;
      if (fresh && processAlive(Number(match[1]))) continue; // being written right now
      rmSync(path, { force: true });
    } catch {
      // Gone already, or not ours to remove: either way nothing to do.
    }
  }
}

const checked = new Map<string, string | false>();

/**
 * The cache folder to use: `dir` when it can hold the caches, else false, with one warning
 * saying why. Checked once per folder and process; that first check also sweeps the temporary
 * files of dead processes. A folder that exists but is read-only is still used: its caches
 * can be read (writes fail quietly, as they always did).
 */
export function usableCacheDir(dir: string | false): string | false {
  if (dir === false) return false;
  const known = checked.get(dir);
  if (known !== undefined) return known;
  const problem = cacheFolderProblem(dir);
  if (problem) {
    log.warn(
      { cacheDir: dir, reason: problem },
      `cache folder ${dir} cannot be used (${problem}); running without the cache`,
    );
  } else {
    sweepStaleTemporaries(dir);
  }
  const usable = problem ? false : dir;
  checked.set(dir, usable);
  return usable;
}

/** Read a cache file; undefined when it is not there or cannot be read. */
function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

// ---- parsed cards ----

/** A card parsed once, with the parser's warnings ([line, message]). */
export interface ParsedEntry {
  card: ActorCard;
  warnings: [number, string][];
}

/** sha256 of a card file's bytes -> its parse. */
export type ParsedCards = Record<string, ParsedEntry>;

interface CardCacheFile {
  version: number;
  cards: ParsedCards;
}

function cardCachePath(cacheDir: string, cardsDir: string): string {
  const key = createHash('sha256').update(resolve(cardsDir)).digest('hex').slice(0, 16);
  return join(cacheDir, `cards-${key}.json`);
}

/** Has an earlier run cached this folder's parsed cards (so a load will mostly hit)? */
export function hasCardCache(cardsDir: string, cacheDir: string | false): boolean {
  return cacheDir !== false && existsSync(cardCachePath(cacheDir, cardsDir));
}

/** The cached parses of a cards folder ({} when there are none, or of another version). */
export function readCardCache(cacheDir: string, cardsDir: string): ParsedCards {
  const text = readText(cardCachePath(cacheDir, cardsDir));
  if (text === undefined) return {};
  try {
    const parsed = JSON.parse(text) as CardCacheFile;
    return parsed.version === CARD_CACHE_VERSION && parsed.cards ? parsed.cards : {};
  } catch {
    return {};
  }
}

export function writeCardCache(cacheDir: string, cardsDir: string, cards: ParsedCards): void {
  try {
    makeFolder(cacheDir);
    const file: CardCacheFile = { version: CARD_CACHE_VERSION, cards };
    writeAtomic(cardCachePath(cacheDir, cardsDir), JSON.stringify(file));
  } catch {
    // A read-only home is fine: the cache only saves time.
  }
}

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
