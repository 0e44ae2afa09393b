/**
 * Stage 2 of loading: card files -> parsed cards, each with where it came from. Parses are
 * kept by the sha256 of the file's bytes, so a restart (or a reload) parses only the files
 * that changed; the caller decides where that memo lives (src/catalog/cache.ts).
 */
import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import type { LoadedCard } from '../cards/model.js';
import { CardError, parseCard } from '../cards/parse.js';
import type { ParsedCards } from './cache.js';
import { readCardFile } from './files.js';
import type { CatalogIssue } from './issues.js';
import { LOCAL_SOURCE, OriginReader } from './origins.js';

export interface ParsedFolder {
  cards: LoadedCard[];
  issues: CatalogIssue[];
  /** The parses of this load's files, to cache for the next one. */
  parses: ParsedCards;
  /** Anything was parsed (not found in `known`). */
  parsedAny: boolean;
}

/**
 * Parse these card files, reusing `known` parses by content hash. A file that cannot be read
 * or is not a card becomes an error issue (with file and line) and is skipped.
 */
export function parseCardFiles(files: readonly string[], known: ParsedCards): ParsedFolder {
  const issues: CatalogIssue[] = [];
  const cards: LoadedCard[] = [];
  const parses: ParsedCards = {};
  let parsedAny = false;
  const origins = new OriginReader();
  for (const abs of files) {
    const file = relative(process.cwd(), abs) || abs;
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
    const hash = createHash('sha256').update(bytes).digest('hex');
    let entry = known[hash];
    if (!entry) {
      const warnings: [number, string][] = [];
      try {
        const card = parseCard(bytes, file, (line, message) => warnings.push([line, message]));
        entry = { card, warnings };
        parsedAny = true;
      } catch (err) {
        if (!(err instanceof CardError)) throw err;
        issues.push({ level: 'error', file, line: err.line, message: `${err.reason}; skipped` });
        continue;
      }
    }
    parses[hash] = entry;
    for (const [line, message] of entry.warnings)
      issues.push({ level: 'warning', file, line, message });
    const origin = origins.originOf(abs);
    cards.push({
      card: entry.card,
      source: {
        file,
        hash,
        ...(origin.source === LOCAL_SOURCE ? {} : { origin: origin.source }),
        ...(origin.ids.length ? { attackIds: origin.ids } : {}),
      },
    });
  }
  for (const p of origins.problems) issues.push({ level: 'warning', line: 0, ...p });
  return { cards, issues, parses, parsedAny };
}
