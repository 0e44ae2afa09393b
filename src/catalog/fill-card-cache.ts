/**
 * Filling a folder's parsed-card cache a part at a time (the priming process's first stage,
 * prime-process.ts): each part of the file list is parsed and written to the cache before the
 * next is parsed, so that at most one part's parsed cards and garbage are in memory. Parsing
 * 10,000 cards at once held all of them (80-94 MB live at the end, 225-236 MB peak RSS); a
 * part of 2,000 cards peaks at about 150 MB however large the folder.
 */
import { type CardCache, readCardCache, writeCardCache } from './card-cache.js';
import { listCardFolder } from './files.js';
import { parseCardFiles } from './parse-cards.js';

/** Files parsed between two writes of the cache. */
export const FILL_PART = 2000;

/**
 * Parse every file of `dir` that the cache does not hold, `part` files at a time. Returns how
 * many files were listed, or undefined when the folder cannot be listed (the load reports it).
 */
export function fillCardCache(dir: string, cacheDir: string, part = FILL_PART): number | undefined {
  const listed = listCardFolder(dir);
  if (!listed.ok) return undefined;
  const { files } = listed;
  for (let from = 0; from < files.length; from += part) {
    const known = readCardCache(cacheDir, dir);
    const parsed = parseCardFiles(files.slice(from, from + part), known, dir);
    if (!parsed.parsedAny) continue;
    // The parts before this one stay as they are (read again from the cache file as they are
    // written); files gone since an older cache was written go at the next full load.
    const merged: CardCache = {
      parses: { ...known.parses, ...parsed.parses },
      stamps: { ...known.stamps, ...parsed.stamps },
    };
    writeCardCache(cacheDir, dir, merged);
  }
  return files.length;
}
