/**
 * `aptcard sync`: import every source of the source list, each into its own sub-folder of the
 * cards folder, with the importers' guarantees (a plan checked before any write, atomic renames,
 * the manifest, hand edits kept, timeout and size cap). A source that fails (network, HTTP
 * status, bad data) leaves its folder as it was; the others still update.
 */
import { join } from 'node:path';
import { type FetchOptions, readInput } from './download.js';
import { importEtda } from './etda.js';
import { DEFAULT_MAX_BYTES, ImportError, parseJson } from './json.js';
import { importMisp } from './misp.js';
import type { ImportBatch } from './model.js';
import { importStix } from './stix.js';
import type { SyncKind, SyncSource } from './sync-sources.js';
import { type ChangeKind, runImport } from './writer.js';

export {
  DEFAULT_SYNC_SOURCES,
  parseSyncSources,
  SYNC_KINDS,
  type SyncKind,
  type SyncSource,
  SyncSourcesError,
} from './sync-sources.js';

export interface SyncResult {
  source: SyncSource;
  ok: boolean;
  /** Change counts (ok) or why it failed. */
  counts: Partial<Record<ChangeKind, number>>;
  cards: number;
  error?: string;
  /** What finishing an interrupted earlier sync of this folder did first. */
  recovered?: string[];
  ms: number;
}

export interface SyncOptions extends Pick<FetchOptions, 'timeoutMs' | 'progress'> {
  maxBytes?: number;
}

function importerFor(kind: SyncKind, json: Parameters<typeof importStix>[0], what: string) {
  if (kind === 'etda') return importEtda(json, what, {});
  if (kind === 'misp-galaxy') return importMisp(json, what);
  return importStix(json, what);
}

/** One source: download, check, plan and write under the folder's lock. Never throws. */
export async function syncSource(
  cardsDir: string,
  source: SyncSource,
  options: SyncOptions = {},
): Promise<SyncResult> {
  const started = Date.now();
  const outDir = join(cardsDir, source.folder);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  try {
    const bytes = await readInput(source.url, { ...options, maxBytes });
    const batch: ImportBatch = importerFor(
      source.kind,
      parseJson(bytes, source.url, { maxBytes }),
      source.url,
    );
    if (batch.cards.length === 0) throw new ImportError(`${source.url}: no records to import`);
    // Cards that left the source are removed (unless edited by hand): a synced folder mirrors it.
    const plan = runImport(outDir, batch, { prune: true });
    const counts: SyncResult['counts'] = {};
    for (const c of plan.changes) counts[c.kind] = (counts[c.kind] ?? 0) + 1;
    const recovered = plan.recovered?.length ? { recovered: plan.recovered } : {};
    return {
      source,
      ok: true,
      counts,
      cards: batch.cards.length,
      ...recovered,
      ms: Date.now() - started,
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { source, ok: false, counts: {}, cards: 0, error: message, ms: Date.now() - started };
  }
}

/** Every source in turn (one download at a time keeps memory bounded). */
export async function syncAll(
  cardsDir: string,
  sources: SyncSource[],
  options: SyncOptions = {},
): Promise<SyncResult[]> {
  const results: SyncResult[] = [];
  for (const source of sources) results.push(await syncSource(cardsDir, source, options));
  return results;
}

const SHOWN: ChangeKind[] = ['added', 'updated', 'removed', 'kept', 'skipped', 'gone', 'unchanged'];

/** "stix  ok      16 cards: 2 added, 14 unchanged (1.2 s) -> stix/" */
export function formatSyncResult(r: SyncResult): string {
  const seconds = `${(r.ms / 1000).toFixed(1)} s`;
  if (!r.ok) {
    const why = (r.error ?? 'failed').split('\n').slice(0, 4).join(' ').slice(0, 400);
    return `${r.source.folder}  FAILED  ${why} (folder left as it was; ${seconds})`;
  }
  const counts = SHOWN.filter((k) => r.counts[k]).map((k) => `${r.counts[k]} ${k}`);
  const notes = (r.recovered ?? []).map((n) => `\n  ${n}`).join('');
  return `${r.source.folder}  ok  ${r.cards} cards${counts.length ? `: ${counts.join(', ')}` : ''} (${seconds}) -> ${r.source.folder}/${notes}`;
}
