/**
 * Keeping the catalog fresh while the bot runs: a first sync in the background when only the
 * bundled sample is there (a short timeout, so a machine without internet answers from the
 * sample at once), then one every SYNC_INTERVAL. Cards arrive through the folder watcher's hot
 * reload; a failed sync is logged and the last good catalog keeps serving.
 */
import { formatSyncResult, type SyncResult, type SyncSource, syncAll } from '../import/sync.js';

export interface BackgroundSyncOptions {
  dir: string;
  sources: SyncSource[];
  /** Run one sync now (first start on the sample). */
  now: boolean;
  /** Download timeout of that first sync. */
  firstTimeoutMs: number;
  /** 0: none. */
  intervalMs: number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** Called with the first sync's results (start prints a line when everything failed). */
  onFirst?: (results: SyncResult[]) => void;
}

export interface BackgroundSync {
  /** The first sync, if one was started. */
  first: Promise<SyncResult[]> | undefined;
  stop(): void;
}

export function startBackgroundSync(options: BackgroundSyncOptions): BackgroundSync {
  let running: Promise<SyncResult[]> | undefined;
  const run = (timeoutMs: number): Promise<SyncResult[]> => {
    // One sync at a time: a slow one is not overtaken by the next tick.
    if (running) return running;
    running = syncAll(options.dir, options.sources, { timeoutMs })
      .then((results) => {
        for (const r of results) {
          if (r.ok) options.log.info({ source: r.source.folder }, formatSyncResult(r));
          else options.log.warn({ source: r.source.folder }, formatSyncResult(r));
        }
        return results;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const first = options.now
    ? run(options.firstTimeoutMs).then((results) => {
        options.onFirst?.(results);
        return results;
      })
    : undefined;
  const timer =
    options.intervalMs > 0 ? setInterval(() => void run(60_000), options.intervalMs) : undefined;
  timer?.unref();
  return { first, stop: () => clearInterval(timer) };
}
