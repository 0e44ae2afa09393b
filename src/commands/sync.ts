import { usableCacheDir } from '../catalog/cache.js';
import { openIndex } from '../catalog/open.js';
import { syncCardsDir } from '../config.js';
import { DEFAULT_MAX_BYTES } from '../import/json.js';
import {
  formatSyncResult,
  parseSyncSources,
  SYNC_KINDS,
  SyncSourcesError,
  syncAll,
} from '../import/sync.js';
import { type CliIO, type Command, UsageError } from './command.js';
import { catalogSettings, parse } from './shared.js';

/**
 * Parse what the sync wrote and fill the caches, so that the next command starts warm: the
 * first `aptcard search` after syncing the public catalogs would otherwise parse every card
 * (about 2 s per 1,000 cards). Nothing when the cache is off; a failure only costs that time.
 */
function fillSearchCaches(io: CliIO, cards: string | undefined): void {
  const { cardsDir, cacheDir, extraCardsDirs } = catalogSettings(io, cards);
  const usable = usableCacheDir(cacheDir);
  if (!usable) return;
  const started = performance.now();
  try {
    openIndex(cardsDir, usable, extraCardsDirs).warm();
  } catch (err) {
    io.stderr.write(`aptcard: could not fill the search caches: ${(err as Error).message}\n`);
    return;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  io.stderr.write(`search caches filled in ${seconds} s: the next commands start warm\n`);
}

function positiveNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} must be a positive number`);
  return n;
}

export const syncCommand: Command = {
  name: 'sync',
  usage: `aptcard sync [--cards DIR] [--timeout SECONDS] [--max-size MB]

Imports each source of SYNC_SOURCES into its own sub-folder of the cards folder (--cards, else
CARDS_DIR, else the data folder $XDG_DATA_HOME/aptcard/cards), and prints one line per source.
A source that fails (network, HTTP status, bad data) is reported and leaves its folder as it was;
the others still update; the exit status is 1 when any failed. Cards that left a source are
removed unless edited by hand; hand edits are kept. Then the search caches are filled, so the
next command starts warm.

SYNC_SOURCES  comma-separated KIND=URL entries, KIND one of ${SYNC_KINDS.join(', ')}, URL an
              http(s) URL or a local path (a mirror, a file). Default: the public sources:
              ETDA Threat Group Cards, the MISP galaxy threat-actor cluster, MITRE ATT&CK
              Enterprise (STIX 2.1, attack-stix-data).
--timeout     give up on a download that sends nothing for this long (default 60)
--max-size    refuse inputs larger than this many MB (default ${DEFAULT_MAX_BYTES / 1024 / 1024})`,
  async run(args, io) {
    const { values, positionals } = parse(args, {
      cards: { type: 'string' },
      timeout: { type: 'string' },
      'max-size': { type: 'string' },
    });
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    let sources: ReturnType<typeof parseSyncSources>;
    try {
      sources = parseSyncSources(io.env.SYNC_SOURCES);
    } catch (err) {
      if (err instanceof SyncSourcesError) throw new UsageError(err.message);
      throw err;
    }
    const cardsDir = syncCardsDir(io.env, values.cards);
    const stderr = io.stderr as { write(chunk: string): unknown; isTTY?: boolean };
    const results = await syncAll(cardsDir, sources, {
      timeoutMs: Math.round(positiveNumber(values.timeout, '--timeout', 60) * 1000),
      maxBytes: Math.round(
        positiveNumber(values['max-size'], '--max-size', DEFAULT_MAX_BYTES / 1048576) * 1048576,
      ),
      progress: stderr,
    });
    for (const r of results) (r.ok ? io.stdout : io.stderr).write(`${formatSyncResult(r)}\n`);
    const failed = results.filter((r) => !r.ok).length;
    io.stdout.write(
      `synced ${results.length - failed} of ${results.length} source(s) into ${cardsDir}\n`,
    );
    if (failed < results.length) fillSearchCaches(io, values.cards);
    return failed > 0 ? 1 : 0;
  },
};
