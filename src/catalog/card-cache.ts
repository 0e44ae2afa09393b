/**
 * The parsed-card cache of one cards folder (`cards-<folder key>.json` in the cache folder):
 * each card's parse by the sha256 of its file's bytes, and the stamp of each file it came from
 * (parse-cards.ts trusts an unchanged stamp instead of reading the file).
 *
 * Layout: one line of JSON (the version, the stamps, and per card its UUID, warnings and where
 * its texts are), then each card's two JSON texts (card-texts.ts), one after the other. A start
 * reads and parses only the first line; a card's light text is read from the file
 * (card-bodies.ts) and parsed when something first reads the card (a command answering one
 * actor parses that actor's cards). Parsing every card's objects at once was most of a warm
 * start: 36 ms of the three public catalogs' 3.6 MB against 2-3 ms for the line. A card keeps
 * its names and filterable fields; its description, operations and other large text are read
 * from its heavy text when asked for (lazy-card.ts).
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ActorCard } from '../cards/model.js';
import { asciiJson, makeFolder, writeAtomicParts } from './cache.js';
import { CardBodies } from './card-bodies.js';
import { type CardTexts, cardTexts, parseHeavy, parseLight } from './card-texts.js';
import { type HeavyParts, type HeavySource, lazyCard } from './lazy-card.js';

/** Bump when the parser's output or this layout changes, so old caches are ignored. */
export const CARD_CACHE_VERSION = 7;

/** A card parsed once, with the parser's warnings ([line, message]). */
export interface ParsedEntry {
  /**
   * Parsed from the cached JSON on first access when the entry came from the cache (then a
   * lazy card: its large text read from the file again when asked for, lazy-card.ts).
   */
  readonly card: ActorCard;
  readonly uuid: string;
  readonly warnings: [number, string][];
  /** The card's texts (card-texts.ts) when the entry came from the cache (read from the file). */
  readonly stored?: CardTexts;
  /** The lengths of those texts, known without reading them (from the cache's first line). */
  readonly storedLengths?: readonly [number, number];
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
  /** How many of each (a start compares them, and counting keys anew was a cost per card). */
  counts?: { parses: number; stamps: number };
}

/**
 * The first line of the file. `at`: where the card's texts start after the line, and the
 * lengths of its light and heavy texts (card-texts.ts), one right after the other.
 */
interface CacheHead {
  version: number;
  /**
   * How many cards `cards` holds; first in the line, so that a start reads how much of a
   * folder is cached from the file's first bytes (cachedCardCount).
   */
  count: number;
  files: FileStamps;
  cards: Record<
    string,
    { uuid: string; warnings: [number, string][]; at: [number, number, number] }
  >;
}

export function freshEntry(card: ActorCard, warnings: [number, string][]): ParsedEntry {
  return { card, uuid: card.uuid, warnings };
}

/**
 * A card read from the cache. Its light text (card-texts.ts) is read from the cache file and
 * parsed when something first reads `card`; its large text (lazy-card.ts) is read and parsed
 * apart when asked for. Parsing whole cards to keep their light fields had made a 10,000-card
 * start parse 20 MB of JSON, 14 of it thrown away at once: the garbage at the top of its peak.
 * The file stays open while the entry lives: a cache written since (writeAtomic renames)
 * leaves this entry the bytes it came from. A class, not an object with getters of its own:
 * 10,000 of those cost about 5 MB of closures, contexts and hidden classes.
 */
class StoredEntry implements ParsedEntry, HeavySource {
  private kept: ActorCard | undefined;
  private dates: readonly string[] = [];

  constructor(
    readonly uuid: string,
    readonly warnings: [number, string][],
    private readonly from: CardBodies,
    private readonly offset: number,
    private readonly lightLength: number,
    private readonly heavyLength: number,
  ) {}

  get storedLengths(): readonly [number, number] {
    return [this.lightLength, this.heavyLength];
  }

  get stored(): CardTexts {
    return {
      light: this.from.read(this.offset, this.lightLength),
      heavy: this.from.read(this.offset + this.lightLength, this.heavyLength),
    };
  }

  texts(): CardTexts {
    return this.stored;
  }

  get card(): ActorCard {
    if (!this.kept) {
      const { light, dates } = parseLight(this.from.read(this.offset, this.lightLength), this.uuid);
      this.dates = dates;
      this.kept = lazyCard(Object.keys(light), light, this);
    }
    return this.kept;
  }

  operationDates(): readonly string[] {
    void this.card;
    return this.dates;
  }

  readHeavy(): HeavyParts {
    return parseHeavy(this.from.read(this.offset + this.lightLength, this.heavyLength));
  }
}

function cardCachePath(cacheDir: string, cardsDir: string): string {
  const key = createHash('sha256').update(resolve(cardsDir)).digest('hex').slice(0, 16);
  return join(cacheDir, `cards-${key}.json`);
}

/** Has an earlier run cached this folder's parsed cards (in any version)? */
export function hasCardCache(cardsDir: string, cacheDir: string | false): boolean {
  return cacheDir !== false && existsSync(cardCachePath(cacheDir, cardsDir));
}

const COUNT_RE = new RegExp(`^\\{"version":${CARD_CACHE_VERSION},"count":(\\d+),`);

/**
 * How many parsed cards a folder's cache holds, read from the file's first bytes: 0 when there
 * is no cache, or one of another version (an upgrade parses everything again). A start learns
 * how much it would parse without parsing the first line (10,000 cards: 2 MB). A file whose
 * bytes are cached costs a read and a hash, not a parse, even with no stamp (a recent write).
 */
export function cachedCardCount(cardsDir: string, cacheDir: string | false): number {
  if (cacheDir === false) return 0;
  let fd: number | undefined;
  try {
    fd = openSync(cardCachePath(cacheDir, cardsDir), 'r');
    const start = Buffer.alloc(64);
    const n = readSync(fd, start, 0, start.length, 0);
    const match = COUNT_RE.exec(start.toString('latin1', 0, n));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const NONE = (): CardCache => ({ parses: {}, stamps: {} });

function isCount(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}

function isHead(value: unknown): value is CacheHead {
  const v = value as Partial<CacheHead> | null;
  return v?.version === CARD_CACHE_VERSION && typeof v.cards === 'object' && v.cards !== null;
}

/**
 * The cached parses and stamps of a cards folder (empty when none, or of another version).
 * Only the first line is read; each body when its card is first parsed (card-bodies.ts).
 */
export function readCardCache(cacheDir: string, cardsDir: string): CardCache {
  const file = CardBodies.open(cardCachePath(cacheDir, cardsDir));
  if (!file) return NONE();
  const { head: line, bodies } = file;
  try {
    const head: unknown = JSON.parse(line);
    if (!isHead(head)) {
      bodies.close(); // nothing will read it: close it now
      return NONE();
    }
    const parses: ParsedCards = {};
    let count = 0;
    for (const [hash, e] of Object.entries(head.cards)) {
      const [at, light, heavy] = Array.isArray(e?.at) ? e.at : [];
      if (typeof e?.uuid !== 'string' || !Array.isArray(e.warnings)) continue;
      if (!isCount(at) || !isCount(light) || !isCount(heavy)) continue;
      if (!bodies.holds(at, light + heavy)) continue; // truncated: a miss for this card
      parses[hash] = new StoredEntry(e.uuid, e.warnings, bodies, at, light, heavy);
      count++;
    }
    if (count === 0) bodies.close();
    const stamps = head.files ?? {};
    return { parses, stamps, counts: { parses: count, stamps: Object.keys(stamps).length } };
  } catch {
    bodies.close();
    return NONE();
  }
}

/**
 * Write a folder's cache. Each card's texts are written as they come, never joined into the
 * file's text: a card from the cache is read from the old file just before it is written (the
 * new file is a temporary one until renamed), a card parsed since is made into its texts once,
 * for the first line's offsets, and held until written.
 */
export function writeCardCache(cacheDir: string, cardsDir: string, cache: CardCache): void {
  try {
    makeFolder(cacheDir);
    const head: CacheHead = {
      version: CARD_CACHE_VERSION,
      count: 0,
      files: cache.stamps,
      cards: {},
    };
    const entries: [ParsedEntry, CardTexts | undefined][] = [];
    let at = 0;
    for (const [hash, e] of Object.entries(cache.parses)) {
      let lengths = e.storedLengths;
      let fresh: CardTexts | undefined;
      if (!lengths) {
        const texts = e.stored ?? cardTexts(e.card);
        // ASCII before measuring, so that the offsets are the file's bytes and string indexes.
        fresh = { light: asciiJson(texts.light), heavy: asciiJson(texts.heavy) };
        lengths = [fresh.light.length, fresh.heavy.length];
      }
      head.cards[hash] = { uuid: e.uuid, warnings: e.warnings, at: [at, lengths[0], lengths[1]] };
      entries.push([e, fresh]);
      at += lengths[0] + lengths[1];
    }
    head.count = entries.length;
    function* parts(): Generator<string> {
      yield `${asciiJson(JSON.stringify(head))}\n`;
      for (const [e, fresh] of entries) {
        const texts = fresh ?? e.stored;
        if (!texts) throw new Error('a cached card without its texts');
        yield texts.light;
        yield texts.heavy;
      }
    }
    writeAtomicParts(cardCachePath(cacheDir, cardsDir), parts());
  } catch {
    // A read-only home is fine: the cache only saves time.
  }
}
