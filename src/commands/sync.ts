import { syncCardsDir } from '../config.js';
import { DEFAULT_MAX_BYTES } from '../import/json.js';
import {
  formatSyncResult,
  parseSyncSources,
  SYNC_KINDS,
  SyncSourcesError,
  syncAll,
} from '../import/sync.js';
import { type Command, UsageError } from './command.js';
import { parse } from './shared.js';

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
removed unless edited by hand; hand edits are kept.

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
    return failed > 0 ? 1 : 0;
  },
};
