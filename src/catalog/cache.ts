/**
 * The on-disk caches, all in one folder (CACHE_DIR, default $XDG_CACHE_HOME/aptcard):
 *
 *   cards-<folder key>.json          parsed cards of one cards folder, by content hash
 *   index-<catalog key>-names.json   the serialized names index of one catalog
 *   index-<catalog key>-text.json    the serialized prose index of one catalog
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
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ActorCard } from '../cards/model.js';
import type { Catalog } from './catalog.js';

/** Bump when the parser's output changes, so old parsed-card caches are ignored. */
const CARD_CACHE_VERSION = 3;
/** Bump when the index's fields or term processing change. */
const INDEX_CACHE_VERSION = 4;

export function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'aptcard');
}

/** Write `text` to `path` through a temporary file: a concurrent reader sees the old or the new file. */
function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
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
    mkdirSync(cacheDir, { recursive: true });
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
      mkdirSync(cacheDir, { recursive: true });
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
