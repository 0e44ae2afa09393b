/**
 * The reload worker: loads the cards folder and builds its search index off the main thread,
 * then hands back the cards, their issues and the serialized index. The main thread only
 * rebuilds the catalog's lookup tables and deserializes the index (see watch.ts).
 */
import { parentPort } from 'node:worker_threads';
import type { LoadedCard } from '../cards/model.js';
import type { SearchIndex } from '../search/index.js';
import type { CatalogIssue } from './catalog.js';
import { loadCatalog } from './load.js';
import { buildIndex } from './open.js';
import type { ActorOverrides } from './overrides.js';

export interface BuildRequest {
  id: number;
  dir: string;
  cacheDir: string | false;
  /**
   * Only fill the parsed-card and index caches, and reply with no cards: the caller then loads
   * from the cache itself (a first start, see openServingLibrary).
   */
  primeOnly?: boolean;
}

/** A built catalog and index, handed to the main thread. */
export interface BuiltReply {
  id: number;
  ok: true;
  cards: LoadedCard[];
  issues: CatalogIssue[];
  overrides: ActorOverrides;
  /** SearchIndex.serialize(): plain strings, so they cross to the main thread as they are. */
  serialized: ReturnType<SearchIndex['serialize']>;
}

export type BuildReply =
  | BuiltReply
  | { id: number; ok: true; primed: true }
  | { id: number; ok: false; error: string };

/** Load and index a folder: what the worker does for each request. */
export function buildForReload(request: BuildRequest): BuildReply {
  try {
    const catalog = loadCatalog(request.dir, { cacheDir: request.cacheDir });
    const index = buildIndex(catalog, request.cacheDir);
    if (request.primeOnly) {
      index.warm(); // builds and saves the prose index too
      return { id: request.id, ok: true, primed: true };
    }
    return {
      id: request.id,
      ok: true,
      cards: [...catalog.cards],
      issues: [...catalog.issues],
      overrides: catalog.overrides,
      serialized: index.serialize(),
    };
  } catch (err) {
    return { id: request.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

parentPort?.on('message', (request: BuildRequest) => {
  parentPort?.postMessage(buildForReload(request));
});
