/** How SearchIndex orders what it found: by score (ties by id), filter lists by latest activity. */
import type { DateRange } from './query.js';

/**
 * The newest operation's month index, for ranking filter lists (most recently active first),
 * from its dated operations' ranges (the filter fields').
 */
export function latestActivity(operations: readonly DateRange[]): number {
  let latest = -1;
  for (const range of operations) if (range[1] > latest) latest = range[1];
  return latest;
}

export interface Ranked {
  uuid: string;
  score: number;
  /** Matched in a name or alias (a lookup), not only in prose (a topic). */
  byName: boolean;
}

/**
 * Best first; equal scores by id. MiniSearch returns ties in its own insertion order, which is
 * not the same for an index built here and one read back from the cache: without the id, a
 * warm start and a cold one listed different suggestions for the same query.
 */
export function byScore(
  a: { score: number; uuid: string },
  b: { score: number; uuid: string },
): number {
  return b.score - a.score || (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0);
}

export function sortedByScore(byId: Map<string, Ranked>): Ranked[] {
  return [...byId.values()].sort(byScore);
}
