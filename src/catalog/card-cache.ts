/**
 * The parsed-card cache of one cards folder (`cards-<folder key>.json` in the cache folder):
 * each card's parse by the sha256 of its file's bytes, and the stamp of each file it came from
 * (parse-cards.ts trusts an unchanged stamp instead of reading the file).
 *
 * Layout: one line of JSON (the version, the stamps, and per card its UUID, warnings and where
 * its body is), then the card bodies, each a JSON text, one after the other. A start parses
 * only the first line; a card's body is parsed when something first reads the card (a command
 * answering one actor parses that actor's cards). Parsing every card's objects at once was
 * most of a warm start: 36 ms of the three public catalogs' 3.6 MB against 2-3 ms for the line.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ActorCard } from '../cards/model.js';
import { asciiJson, makeFolder, readText, writeAtomic } from './cache.js';

/** Bump when the parser's output or this layout changes, so old caches are ignored. */
export const CARD_CACHE_VERSION = 5;

/** A card parsed once, with the parser's warnings ([line, message]). */
export interface ParsedEntry {
  /** Parsed from the cached JSON on first access when the entry came from the cache. */
  readonly card: ActorCard;
  readonly uuid: string;
  readonly warnings: [number, string][];
  /** The card's cached JSON, until something parses it (then written back from `card`). */
  readonly body?: string;
}

/** sha256 of a card file's bytes -> its parse. */
export type ParsedCards = Record<string, ParsedEntry>;

/**
 * What a card file looked like when it was last read (size, times, inode: stampOf in
 * parse-cards.ts) and the sha256 of its bytes then, by path relative to the cards folder. A file
 * whose stamp is unchanged is not read again, as git's index trusts unchanged stats.
 */
export type FileStamps = Record<string, { stamp: string; hash: string }>;

/** A folder's cache: the parses by content hash and the stamps of the files they came from. */
export interface CardCache {
  parses: ParsedCards;
  stamps: FileStamps;
}

/** The first line of the file. `at`: the body's offset after the line, and its length. */
interface CacheHead {
  version: number;
  files: FileStamps;
  cards: Record<string, { uuid: string; warnings: [number, string][]; at: [number, number] }>;
}

export function freshEntry(card: ActorCard, warnings: [number, string][]): ParsedEntry {
  return { card, uuid: card.uuid, warnings };
}

/**
 * A card read from the cache: its JSON until something reads `card`, then its objects only.
 * A class, not an object with getters of its own: 10,000 of those cost about 5 MB of closures,
 * contexts and hidden classes.
 */
class StoredEntry implements ParsedEntry {
  private json: string | undefined;
  private parsed: ActorCard | undefined;

  constructor(
    readonly uuid: string,
    readonly warnings: [number, string][],
    json: string,
  ) {
    this.json = json;
  }

  get body(): string | undefined {
    return this.json;
  }

  get card(): ActorCard {
    if (!this.parsed) {
      this.parsed = JSON.parse(this.json as string) as ActorCard;
      this.json = undefined; // parsed once: keep the objects only, not the text too
    }
    return this.parsed;
  }
}

function cardCachePath(cacheDir: string, cardsDir: string): string {
  const key = createHash('sha256').update(resolve(cardsDir)).digest('hex').slice(0, 16);
  return join(cacheDir, `cards-${key}.json`);
}

/** Has an earlier run cached this folder's parsed cards (so a load will mostly hit)? */
export function hasCardCache(cardsDir: string, cacheDir: string | false): boolean {
  return cacheDir !== false && existsSync(cardCachePath(cacheDir, cardsDir));
}

const NONE = (): CardCache => ({ parses: {}, stamps: {} });

function isHead(value: unknown): value is CacheHead {
  const v = value as Partial<CacheHead> | null;
  return v?.version === CARD_CACHE_VERSION && typeof v.cards === 'object' && v.cards !== null;
}

/** The cached parses and stamps of a cards folder (empty when none, or of another version). */
export function readCardCache(cacheDir: string, cardsDir: string): CardCache {
  const text = readText(cardCachePath(cacheDir, cardsDir));
  if (text === undefined) return NONE();
  const end = text.indexOf('\n');
  if (end < 0) return NONE();
  try {
    const head: unknown = JSON.parse(text.slice(0, end));
    if (!isHead(head)) return NONE();
    const bodies = end + 1;
    const parses: ParsedCards = {};
    for (const [hash, e] of Object.entries(head.cards)) {
      const [start, length] = Array.isArray(e?.at) ? e.at : [];
      if (typeof e?.uuid !== 'string' || !Array.isArray(e.warnings)) continue;
      if (!Number.isInteger(start) || !Number.isInteger(length)) continue;
      const from = bodies + (start as number);
      const to = from + (length as number);
      if (from < bodies || to > text.length) continue; // a truncated file: a miss for this card
      parses[hash] = new StoredEntry(e.uuid, e.warnings, text.slice(from, to));
    }
    return { parses, stamps: head.files ?? {} };
  } catch {
    return NONE();
  }
}

export function writeCardCache(cacheDir: string, cardsDir: string, cache: CardCache): void {
  try {
    makeFolder(cacheDir);
    const head: CacheHead = { version: CARD_CACHE_VERSION, files: cache.stamps, cards: {} };
    const bodies: string[] = [];
    let at = 0;
    for (const [hash, e] of Object.entries(cache.parses)) {
      // ASCII before measuring, so that the offsets are the file's bytes and string indexes.
      const json = asciiJson(e.body ?? JSON.stringify(e.card));
      head.cards[hash] = { uuid: e.uuid, warnings: e.warnings, at: [at, json.length] };
      bodies.push(json);
      at += json.length;
    }
    writeAtomic(cardCachePath(cacheDir, cardsDir), `${JSON.stringify(head)}\n${bodies.join('')}`);
  } catch {
    // A read-only home is fine: the cache only saves time.
  }
}
