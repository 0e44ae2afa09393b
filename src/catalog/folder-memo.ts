/**
 * What the reload worker remembers of the card files between reloads: each folder's parses and
 * file stamps (card-cache.ts's CardCache, as a start reads it from the parsed-card cache), kept
 * in memory, so a reload stats every file but reads, hashes and parses only the files whose
 * stamps changed (parse-cards.ts trusts an unchanged stamp, as git's index does). The first load
 * starts from the parsed-card cache on disk. The result is the same cards, issues and order as
 * load.ts's loadFolder gives for the same files.
 */
import { statSync } from 'node:fs';
import type { LoadedCard } from '../cards/model.js';
import { type CardCache, readCardCache } from './card-cache.js';
import { listCardFiles } from './files.js';
import type { CatalogIssue } from './issues.js';
import { parseCardFiles } from './parse-cards.js';

export interface FolderLoad {
  ok: boolean;
  cards: LoadedCard[];
  issues: CatalogIssue[];
  /** This folder's parses and stamps now (for its parsed-card cache). */
  cache: CardCache;
  /** A card was parsed, a stamp moved, or a file went: the parsed-card cache is worth writing. */
  changed: boolean;
}

const EMPTY: CardCache = { parses: {}, stamps: {} };

export class FolderMemo {
  private readonly known = new Map<string, CardCache>();

  constructor(private readonly cacheDir: string | false) {}

  /** The cards of `dir` (load.ts's loadFolder, from this memo rather than the disk cache). */
  load(dir: string): FolderLoad {
    const scanIssues: CatalogIssue[] = [];
    let files: string[];
    try {
      if (!statSync(dir).isDirectory()) throw new Error('not a folder');
      files = listCardFiles(dir, scanIssues);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const message = `cannot read cards folder: ${reason}`;
      const issue = { level: 'error' as const, file: dir, line: 0, message };
      return { ok: false, cards: [], issues: [issue], cache: EMPTY, changed: false };
    }
    const known =
      this.known.get(dir) ?? (this.cacheDir ? readCardCache(this.cacheDir, dir) : EMPTY);
    const parsed = parseCardFiles(files, known, dir);
    const cache = { parses: parsed.parses, stamps: parsed.stamps };
    this.known.set(dir, cache);
    const changed =
      parsed.parsedAny ||
      Object.keys(known.parses).length !== Object.keys(parsed.parses).length ||
      Object.keys(known.stamps).length !== Object.keys(parsed.stamps).length;
    return {
      ok: true,
      cards: parsed.cards,
      issues: [...scanIssues, ...parsed.issues],
      cache,
      changed,
    };
  }
}
