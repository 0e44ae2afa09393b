/**
 * The one build that runs off the main thread: load a folder and index it (every stage of
 * load.ts and catalog-index.ts), answering a BuildRequest. Importing this module does
 * nothing; the entry point that runs it is watch-worker.ts (a worker thread, for hot reload).
 */

import { derivedCatalog, overKeptCards } from './catalog.js';
import { buildIndex } from './catalog-index.js';
import { loadCatalog } from './load.js';
import type { BuildReply, BuildRequest } from './protocol.js';

/** Never throws: a failure is a reply with `ok: false`. */
export function buildForRequest(request: BuildRequest): BuildReply {
  try {
    const catalog = loadCatalog(request.dir, {
      cacheDir: request.cacheDir,
      ...(request.extraDirs ? { extraDirs: request.extraDirs } : {}),
    });
    const index = buildIndex(catalog, request.cacheDir);
    const derived = derivedCatalog(catalog);
    return {
      id: request.id,
      ok: true,
      cards: [...catalog.cards],
      ...(derived ? { derived: overKeptCards(derived) } : {}),
      issues: [...catalog.issues],
      overrides: catalog.overrides,
      serialized: index.serialize(),
    };
  } catch (err) {
    return { id: request.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
