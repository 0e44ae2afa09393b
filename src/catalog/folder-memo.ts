import type { LoadedCard } from '../cards/model.js';
import { type CardCache, readCardCache } from './card-cache.js';
import { listCardFolder } from './files.js';
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
    const listed = listCardFolder(dir);
    if (!listed.ok)
      return { ok: false, cards: [], issues: [listed.issue], cache: EMPTY, changed: false };
    const { files, issues: scanIssues } = listed;
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
