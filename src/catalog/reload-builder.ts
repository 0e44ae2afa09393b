/**
 * The reload worker's side of an incremental reload (watch.ts asks, watch-worker.ts runs this;
 * without the compiled worker it runs on the main thread). Kept between reloads: the files'
 * stats and parses (folder-memo.ts), so a reload reads only what changed, and the last grouping
 * (regroup.ts), so it groups again only the cards the changed ones touch. It answers with a
 * CatalogDelta against the serving catalog (delta.ts), or with the whole catalog and index
 * when the change is large (build.ts's reply).
 *
 * The caches a start reads (parsed cards, actors, both indexes) are filled after the reply,
 * off the reply's path, in small steps: a newer reload abandons the filling of an older one.
 */
import MiniSearch from 'minisearch';
import type { LoadedCard } from '../cards/model.js';
import { NAME_OPTIONS, TEXT_OPTIONS, toNameDoc, toTextDoc } from '../search/documents.js';
import { writeCardCache } from './card-cache.js';
import { buildCatalog, type Catalog, derivedCatalog, overKeptCards } from './catalog.js';
import { buildIndex } from './catalog-index.js';
import { catalogDelta, derivedBaseline } from './delta.js';
import { type FolderLoad, FolderMemo } from './folder-memo.js';
import { actorCache, indexCacheFiles } from './index-cache.js';
import { type ActorOverrides, readOverrides } from './overrides.js';
import type { BuildReply, BuildRequest } from './protocol.js';
import { GroupingMemo } from './regroup.js';

/** Documents added to an index between two yields while the caches are filled. */
const CHUNK = 50;

interface Built {
  generation: number;
  cacheDir: string | false;
  catalog: Catalog;
  loaded: LoadedCard[];
  overrides: ActorOverrides;
  folders: (readonly [string, FolderLoad])[];
  /** The reply was a delta: the index caches of this catalog are still to be made. */
  indexToSave: boolean;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

export class ReloadBuilder {
  private memo?: { cacheDir: string | false; memo: FolderMemo };
  private readonly grouping = new GroupingMemo();
  private generation = 0;
  private last?: Built;

  /** Never throws: a failure is a reply with `ok: false`. */
  build(request: BuildRequest): BuildReply {
    const generation = ++this.generation;
    this.last = undefined;
    try {
      const { cacheDir } = request;
      if (this.memo?.cacheDir !== cacheDir)
        this.memo = { cacheDir, memo: new FolderMemo(cacheDir) };
      const { memo } = this.memo;
      const main = memo.load(request.dir);
      const extra = main.ok ? (request.extraDirs ?? []).map((d) => [d, memo.load(d)] as const) : [];
      const overrides = main.ok ? readOverrides(request.dir) : undefined;
      const loaded = [main, ...extra.map(([, f]) => f)].flatMap((f) => f.cards);
      const issues = [
        ...main.issues,
        ...extra.flatMap(([, f]) => f.issues),
        ...(overrides?.issues ?? []),
      ];
      const catalog = buildCatalog(
        loaded,
        issues,
        overrides?.overrides,
        undefined,
        undefined,
        this.grouping,
      );
      const delta =
        request.baseline && main.ok ? catalogDelta(request.baseline, catalog) : undefined;
      this.last = {
        generation,
        cacheDir,
        catalog,
        loaded,
        overrides: catalog.overrides,
        folders: main.ok ? [[request.dir, main], ...extra] : [],
        indexToSave: delta !== undefined,
      };
      if (delta) return { id: request.id, ok: true, delta };
      const derived = derivedCatalog(catalog);
      const baseline = derivedBaseline(catalog);
      return {
        id: request.id,
        ok: true,
        ...(baseline ? { baseline } : {}),
        cards: [...catalog.cards],
        ...(derived ? { derived: overKeptCards(derived) } : {}),
        issues: [...catalog.issues],
        overrides: catalog.overrides,
        // Reads the index caches when this catalog was seen before, else builds and saves them.
        serialized: buildIndex(catalog, cacheDir).serialize(),
      };
    } catch (err) {
      return { id: request.id, ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  /**
   * Fill the caches for the last build (after its reply was sent): what a start reads is then
   * this catalog's. Abandoned when another build starts; never throws (the caches only save
   * time).
   */
  async saveCaches(): Promise<void> {
    const built = this.last;
    if (!built?.cacheDir) return;
    this.last = undefined;
    const { cacheDir, catalog } = built;
    const current = () => built.generation === this.generation;
    try {
      for (const [dir, folder] of built.folders) {
        if (folder.changed) writeCardCache(cacheDir, dir, folder.cache);
      }
      const derived = derivedCatalog(catalog);
      const actors = actorCache(cacheDir, built.loaded, built.overrides);
      if (derived && !actors.read()) actors.save(derived);
      if (!built.indexToSave) return;
      const files = indexCacheFiles(cacheDir, catalog);
      if (files.readNames() !== undefined) return; // seen before: both are there
      await tick();
      const cards = catalog.profiles.map((p) => p.card);
      const names = await indexInSteps(cards.map(toNameDoc), NAME_OPTIONS, current);
      const text = names && (await indexInSteps(cards.map(toTextDoc), TEXT_OPTIONS, current));
      if (!names || !text || !current()) return;
      files.saveText(JSON.stringify(text));
      // The names last: a start that finds them takes the prose index to be there too.
      files.saveNames(JSON.stringify(names));
    } catch {
      // A full disk, a vanished folder: the next start builds what is missing.
    }
  }
}

/** An index of these documents, built CHUNK at a time; undefined when no longer wanted. */
async function indexInSteps<T>(
  docs: T[],
  options: ConstructorParameters<typeof MiniSearch<T>>[0],
  wanted: () => boolean,
): Promise<MiniSearch<T> | undefined> {
  const index = new MiniSearch<T>(options);
  for (let i = 0; i < docs.length; i += CHUNK) {
    if (!wanted()) return undefined;
    index.addAll(docs.slice(i, i + CHUNK));
    await tick();
  }
  return index;
}
