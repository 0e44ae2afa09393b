/** One card per UUID in a folder and in a source: the copies are errors, and skipped. */
import { dirname } from 'node:path';
import { displayName, type LoadedCard } from '../cards/model.js';
import { sourceOf } from './card-facts.js';
import type { CatalogIssue } from './issues.js';
import { sortByName } from './name-order.js';
import { LOCAL_SOURCE } from './origins.js';

/**
 * The cards sorted by display name (as positions in `loaded`), a second copy of a UUID
 * reported and skipped: in one folder, or from the same source in another folder (a card
 * copied elsewhere to edit, one catalog imported twice). Across sources a UUID is one actor's
 * (actors.ts merges them); two actors of one UUID would answer one id with two cards.
 */
export function oneCardPerUuid(loaded: LoadedCard[], issues: CatalogIssue[]): number[] {
  const kept: number[] = [];
  /** "folder\0uuid" and "source\0uuid": each at most once. */
  const inFolder = new Map<string, LoadedCard>();
  const inSource = new Map<string, LoadedCard>();
  loaded.forEach((entry, i) => {
    const folderKey = `${dirname(entry.source.file)}\u0000${entry.card.uuid}`;
    const sourceKey = `${sourceOf(entry)}\u0000${entry.card.uuid}`;
    const prior = inFolder.get(folderKey) ?? inSource.get(sourceKey);
    if (prior) {
      const source = sourceOf(entry);
      const why = inFolder.has(folderKey)
        ? ''
        : source === LOCAL_SOURCE
          ? ', both hand-written'
          : `, both imported from ${source}`;
      issues.push({
        level: 'error',
        file: entry.source.file,
        line: 0,
        message: `duplicate UUID ${entry.card.uuid} (also in ${prior.source.file}${why}); this copy is skipped`,
      });
      return;
    }
    inFolder.set(folderKey, entry);
    inSource.set(sourceKey, entry);
    kept.push(i);
  });
  // A stable sort: equal names keep the loaded order, as before.
  return sortByName(kept, (i) => displayName(loaded[i]!.card));
}
