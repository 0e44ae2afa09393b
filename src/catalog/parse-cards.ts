/**
 * Stage 2 of loading: card files -> parsed cards, each with where it came from. Parses are
 * kept by the sha256 of the file's bytes, so a restart (or a reload) parses only the files
 * that changed; the caller decides where that memo lives (src/catalog/card-cache.ts). A file whose
 * stat is what it was when last read is not even read again (its stamp, below).
 */
import { createHash } from 'node:crypto';
import { type Stats, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { type CardSource, type LoadedCard, lazyLoadedCard } from '../cards/model.js';
import { CardError, parseCard } from '../cards/parse.js';
import { type CardCache, type FileStamps, freshEntry, type ParsedCards } from './card-cache.js';
import { readCardFile } from './files.js';
import type { CatalogIssue } from './issues.js';
import { LOCAL_SOURCE, OriginReader } from './origins.js';

export interface ParsedFolder {
  cards: LoadedCard[];
  issues: CatalogIssue[];
  /** The parses of this load's files, to cache for the next one. */
  parses: ParsedCards;
  /** The stamps of this load's files (relative to the folder), to cache for the next one. */
  stamps: FileStamps;
  /** Anything was parsed (not found in `known`), or a stamp differs from the known one. */
  parsedAny: boolean;
  counts: { parses: number; stamps: number };
  /** Files left out, neither parsed nor cached, past `parseAtMost` parses. */
  deferred: number;
}

/**
 * A file changed within this long before its stamp is taken is not stamped: a second write in
 * the same timestamp tick would leave size and times as they were (git's "racy" entries).
 * Such a file is read and hashed at every load until it has been quiet this long.
 */
export const RACY_MS = 2000;

/** Size, modification and change times, inode: any write, rename or replacement changes one. */
function stampOf(stat: Stats): string {
  return `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}`;
}

function statOrUndefined(abs: string): Stats | undefined {
  try {
    return statSync(abs);
  } catch {
    return undefined; // read below, which reports why
  }
}

/**
 * Parse these card files (below `root`), reusing `known` parses by content hash, and not
 * reading a file whose stamp is the known one. A file that cannot be read or is not a card
 * becomes an error issue (with file and line) and is skipped. `now`: the clock, for tests.
 * `parseAtMost`: parse no more than this many; the files past it are left out (`deferred`),
 * for a cache filled a part at a time (prime.ts).
 */
export function parseCardFiles(
  files: readonly string[],
  known: CardCache,
  root: string,
  now: number = Date.now(),
  parseAtMost = Number.POSITIVE_INFINITY,
): ParsedFolder {
  const issues: CatalogIssue[] = [];
  const cards: LoadedCard[] = [];
  const parses: ParsedCards = {};
  const stamps: FileStamps = {};
  let parsedAny = false;
  let parseCount = 0;
  let stampCount = 0;
  let fresh = 0;
  let deferred = 0;
  const origins = new OriginReader();
  const settled = now - RACY_MS;
  const under = (folder: string) => {
    // path.relative resolves both paths on every call: a slice when the path is below.
    const prefix = join(folder, sep);
    return (abs: string) =>
      abs.startsWith(prefix) ? abs.slice(prefix.length) : relative(folder, abs) || abs;
  };
  const fromCwd = under(process.cwd());
  const fromRoot = under(root);
  // Every listed file is below `root`: its path from the working folder is the root's, then
  // the file's below it (one path.relative per load, not one per card).
  const rootFromCwd = relative(process.cwd(), root);
  const rootPrefix = join(root, sep);
  for (const abs of files) {
    const rel = fromRoot(abs);
    const file = !abs.startsWith(rootPrefix)
      ? fromCwd(abs)
      : rootFromCwd === ''
        ? rel
        : rootFromCwd + sep + rel;
    const stat = statOrUndefined(abs);
    const stamp = stat?.isFile() ? stampOf(stat) : undefined;
    const trusted = known.stamps[rel];
    let hash = stamp !== undefined && trusted?.stamp === stamp ? trusted.hash : undefined;
    let entry = hash === undefined ? undefined : known.parses[hash];
    if (!entry || hash === undefined) {
      let bytes: Buffer;
      try {
        const read = readCardFile(abs);
        if (typeof read === 'string') {
          issues.push({ level: 'error', file, line: 0, message: read });
          continue;
        }
        bytes = read;
      } catch (err) {
        issues.push({
          level: 'error',
          file,
          line: 0,
          message: `unreadable: ${(err as Error).message}`,
        });
        continue;
      }
      hash = createHash('sha256').update(bytes).digest('hex');
      entry = known.parses[hash];
      if (!entry && fresh >= parseAtMost) {
        deferred++;
        continue;
      }
      if (!entry) {
        fresh++;
        const warnings: [number, string][] = [];
        try {
          const card = parseCard(bytes, file, (line, message) => warnings.push([line, message]));
          entry = freshEntry(card, warnings);
          parsedAny = true;
        } catch (err) {
          if (!(err instanceof CardError)) throw err;
          issues.push({ level: 'error', file, line: err.line, message: `${err.reason}; skipped` });
          continue;
        }
      }
    }
    if (parses[hash] === undefined) parseCount++;
    parses[hash] = entry;
    if (stat && stamp !== undefined && stat.mtimeMs < settled && stat.ctimeMs < settled) {
      if (stamps[rel] === undefined) stampCount++;
      const same = trusted?.stamp === stamp && trusted.hash === hash;
      stamps[rel] = same ? trusted : { stamp, hash };
      if (!same) parsedAny = true;
    }
    for (const [line, message] of entry.warnings)
      issues.push({ level: 'warning', file, line, message });
    const origin = origins.originOf(abs);
    const source: CardSource = { file, hash };
    if (origin.source !== LOCAL_SOURCE) source.origin = origin.source;
    if (origin.ids.length) source.attackIds = origin.ids;
    cards.push(lazyLoadedCard(source, entry.uuid, entry));
  }
  for (const p of origins.problems) issues.push({ level: 'warning', line: 0, ...p });
  const counts = { parses: parseCount, stamps: stampCount };
  return { cards, issues, parses, stamps, parsedAny, counts, deferred };
}
