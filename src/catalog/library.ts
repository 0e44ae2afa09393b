import { SearchIndex } from '../search/index.js';
import type { Catalog } from './catalog.js';

/**
 * The catalog and index the bot answers from right now. A reload builds a whole new
 * SearchIndex off the request path and swaps it in with one assignment, so a query sees
 * either the old catalog or the new one, never half of each.
 */
export class Library {
  private index: SearchIndex;
  private readonly listeners = new Set<(index: SearchIndex) => void>();

  constructor(initial: SearchIndex | Catalog) {
    this.index = initial instanceof SearchIndex ? initial : new SearchIndex(initial);
  }

  get current(): SearchIndex {
    return this.index;
  }

  swap(next: SearchIndex): void {
    this.index = next;
    for (const listener of this.listeners) listener(next);
  }

  /** Called after every swap (e.g. to rebuild the enrichment scanner). Returns an unsubscribe. */
  onSwap(listener: (index: SearchIndex) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
