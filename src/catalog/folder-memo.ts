/**
 * What the reload worker remembers of the card files between reloads: each file's stats and
 * what it held, so a reload reads, hashes and parses only the files whose stats changed,
 * instead of every file (10,000 cards: about 10,000 stats instead of 10,000 reads and sha256s).
 *
 * A file is trusted unchanged when its inode, size, mtime and ctime are those it had when it was
 * read, and its ctime was more than RACY_MS older than that read: a write during the clock's
 * last tick before the read could leave the same stats (the racy case git's index also has),
 * so such a file is read again next time. ctime is part of it because nothing but the kernel
 * sets it (`cp -p` or `touch -d` can give a new content an old mtime). The result is the same
 * cards, issues and order as load.ts's loadFolder gives for the same files.
 */
import { type Stats, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ActorCard, LoadedCard } from '../cards/model.js';
import { type ParsedCards, readCardCache } from './cache.js';
import { listCardFiles } from './files.js';
import type { CatalogIssue } from './issues.js';
import { LOCAL_SOURCE, OriginReader } from './origins.js';
import { parseCardFiles } from './parse-cards.js';

const RACY_MS = 1000;

interface Remembered {
  /** The file as issues and card sources name it (relative to the working folder). */
  file: string;
  stat: string;
  readAt: number;
  ctimeMs: number;
  /** Undefined when the file is no card (its issues say why). */
  parsed?: { card: ActorCard; hash: string };
  /** Its errors and the parser's warnings, in order. */
  issues: CatalogIssue[];
  /** The card as the last load gave it (the same object while its origin stays the same). */
  loaded?: LoadedCard;
}

export interface FolderLoad {
  ok: boolean;
  cards: LoadedCard[];
  issues: CatalogIssue[];
  /** This folder's parses by hash (for its parsed-card cache). */
  parses: ParsedCards;
  /** A card was parsed, or one went: the parsed-card cache is worth writing again. */
  changed: boolean;
}

const statKey = (s: Stats) => `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;

export class FolderMemo {
  private readonly files = new Map<string, Remembered>();
  /** Parses by hash, per folder: read from the parsed-card cache on the first load. */
  private readonly parses = new Map<string, ParsedCards>();

  constructor(private readonly cacheDir: string | false) {}

  /** The cards of `dir` (load.ts's loadFolder, through this memo). */
  load(dir: string): FolderLoad {
    const scanIssues: CatalogIssue[] = [];
    let files: string[];
    try {
      if (!statSync(dir).isDirectory()) throw new Error('not a folder');
      files = listCardFiles(dir, scanIssues);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const issue = {
        level: 'error' as const,
        file: dir,
        line: 0,
        message: `cannot read cards folder: ${reason}`,
      };
      return { ok: false, cards: [], issues: [issue], parses: {}, changed: false };
    }
    const known = this.parses.get(dir) ?? (this.cacheDir ? readCardCache(this.cacheDir, dir) : {});
    const before = Object.keys(known).length;
    const stats = new Map<string, Stats | undefined>();
    const stale: string[] = [];
    for (const abs of files) {
      let stat: Stats | undefined;
      try {
        stat = statSync(abs);
      } catch {
        stat = undefined; // gone meanwhile: parseCardFiles reports it
      }
      stats.set(abs, stat);
      const memo = this.files.get(abs);
      const trusted =
        stat !== undefined &&
        memo !== undefined &&
        memo.stat === statKey(stat) &&
        memo.ctimeMs < memo.readAt - RACY_MS;
      if (!trusted) stale.push(abs);
    }
    const readAt = Date.now();
    const parsedAny = stale.length > 0 && this.read(stale, stats, known, readAt);
    const listed = new Set(files);
    const inDir = join(dir, sep);
    for (const abs of this.files.keys()) {
      if (abs.startsWith(inDir) && !listed.has(abs)) this.files.delete(abs);
    }
    // Assembled in file order, with origins read afresh (a manifest may have changed).
    const origins = new OriginReader();
    const cards: LoadedCard[] = [];
    const issues: CatalogIssue[] = [...scanIssues];
    const parses: ParsedCards = {};
    for (const abs of files) {
      const memo = this.files.get(abs);
      if (!memo) continue;
      issues.push(...memo.issues);
      if (!memo.parsed) continue;
      const { card, hash } = memo.parsed;
      const entry = known[hash];
      if (entry) parses[hash] = entry;
      const origin = origins.originOf(abs);
      const source = origin.source === LOCAL_SOURCE ? undefined : origin.source;
      const ids = origin.ids.join(',');
      let loaded = memo.loaded;
      if (
        !loaded ||
        loaded.source.origin !== source ||
        (loaded.source.attackIds ?? []).join(',') !== ids
      ) {
        loaded = {
          card,
          source: {
            file: memo.file,
            hash,
            ...(source === undefined ? {} : { origin: source }),
            ...(origin.ids.length ? { attackIds: origin.ids } : {}),
          },
        };
        memo.loaded = loaded;
      }
      cards.push(loaded);
    }
    for (const p of origins.problems) issues.push({ level: 'warning', line: 0, ...p });
    this.parses.set(dir, parses);
    const changed = parsedAny || Object.keys(parses).length !== before;
    return { ok: true, cards, issues, parses, changed };
  }

  /** Read, hash and parse these files (parseCardFiles), and remember each. */
  private read(
    files: string[],
    stats: ReadonlyMap<string, Stats | undefined>,
    known: ParsedCards,
    readAt: number,
  ): boolean {
    const parsed = parseCardFiles(files, known);
    Object.assign(known, parsed.parses);
    const byFile = new Map<string, LoadedCard>();
    for (const entry of parsed.cards) byFile.set(entry.source.file, entry);
    const issuesOf = new Map<string, CatalogIssue[]>();
    for (const issue of parsed.issues) {
      const list = issuesOf.get(issue.file);
      if (list) list.push(issue);
      else issuesOf.set(issue.file, [issue]);
    }
    for (const abs of files) {
      const file = relative(process.cwd(), abs) || abs;
      const stat = stats.get(abs);
      const entry = byFile.get(file);
      this.files.set(abs, {
        file,
        // A file that could not be stat'ed is read again next time.
        stat: stat ? statKey(stat) : '',
        readAt,
        ctimeMs: stat?.ctimeMs ?? readAt,
        ...(entry ? { parsed: { card: entry.card, hash: entry.source.hash } } : {}),
        issues: issuesOf.get(file) ?? [],
      });
    }
    return parsed.parsedAny;
  }
}
