/** What a SearchIndex reads its MiniSearch indexes from, saves them to, and hands to another thread. */
import type MiniSearch from 'minisearch';
import type { Options } from 'minisearch';
import { IndexLoader, loadIndex } from './index-json.js';

/** The two MiniSearch indexes as JSON, as the start-up cache stores them. */
export interface IndexCache {
  /** The names index as JSON, when an earlier run saved it (read when first needed). */
  names?: string | (() => string | undefined);
  /** Called with the names index as JSON when it had to be built, to save it for next time. */
  saveNames?: (json: string) => void;
  /** The prose index as JSON, read only when a query first needs prose. */
  text?: () => string | undefined;
  /** Called with the prose index as JSON when it had to be built, to save it for next time. */
  saveText?: (json: string) => void;
}

export interface SearchIndexOptions {
  /**
   * MiniSearch does all the work, without the shortcuts that give the same answers faster
   * (fuzzy-terms.ts's scan for its fuzzy walk, term-tree.ts's check before a prose search):
   * the reference test/corpus/fuzzy-answers.test.ts compares answers with.
   */
  plainMiniSearch?: boolean;
}

/** Both MiniSearch indexes as JSON, to hand to another thread. */
export interface SerializedIndex {
  names: string;
  text: string;
}

// ---- loading in slices (SearchIndex.warmInSteps) ----

/** How work is split between turns of the event loop: `pause` between two slices. */
export interface Slices {
  pause(): Promise<void>;
}

/** Between two slices of work: queued queries and I/O run first. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export const EVENT_LOOP_TURNS: Slices = { pause: nextTurn };

/**
 * About this long between pauses: the hot-reload main-thread budget is 20 ms, and a collection
 * can fall into a slice (8 ms slices made steps of 20-32 ms when the MISP galaxy landed).
 */
const SLICE_MS = 4;

/** `each` over `items`, pausing whenever a slice has run SLICE_MS. */
export async function inSlices<T>(
  items: Iterable<T>,
  each: (item: T) => void,
  slices: Slices,
): Promise<void> {
  let slice = performance.now();
  for (const item of items) {
    each(item);
    if (performance.now() - slice < SLICE_MS) continue;
    await slices.pause();
    slice = performance.now();
  }
}

/**
 * A cached index taken in a chunk line at a time (index-json.ts: each line parsed and its flat
 * arrays adopted, no term inserted), pausing whenever a slice has run SLICE_MS; or undefined
 * (none, or damaged: build it).
 */
export async function loadAsync<T>(
  json: string | undefined,
  options: Options<T>,
  slices: Slices,
): Promise<MiniSearch<T> | undefined> {
  if (!json) return undefined;
  try {
    const loader = new IndexLoader<T>(json, options);
    let slice = performance.now();
    while (loader.step()) {
      if (performance.now() - slice < SLICE_MS) continue;
      await slices.pause();
      slice = performance.now();
    }
    await slices.pause();
    return loader.index;
  } catch {
    return undefined;
  }
}

/** A cache reader's text, or undefined when it throws (no file yet, or an unreadable one). */
export function readOrUndefined(read: (() => string | undefined) | undefined): string | undefined {
  try {
    return read?.();
  } catch {
    return undefined;
  }
}

/** A cached index, or undefined (none, or damaged). */
export function loadOrUndefined<T>(
  json: string | undefined,
  options: Options<T>,
): MiniSearch<T> | undefined {
  if (!json) return undefined;
  try {
    return loadIndex<T>(json, options);
  } catch {
    return undefined;
  }
}

/** The cached names index's JSON, read now if the cache reads it on demand. */
export function namesJson(cache: IndexCache): string | undefined {
  return typeof cache.names === 'function' ? cache.names() : cache.names;
}
