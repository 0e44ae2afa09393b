/** `aptcard start`: open the catalog and the state store, then run every configured adapter. */

import { mkdirSync } from 'node:fs';
import type { AdapterDeps, RunningAdapter, StopReport } from '../../adapters/adapter.js';
import { plainLogLine } from '../../adapters/console/log-lines.js';
import { adaptersToStart } from '../../adapters/index.js';
import { Bot } from '../../src/bot.js';
import { startBackgroundSync } from '../../src/catalog/background-sync.js';
import { openServingLibrary } from '../../src/catalog/open.js';
import { watchCards } from '../../src/catalog/watch.js';
import type { CliIO, Command } from '../../src/commands/command.js';
import { openCommandStore } from '../../src/commands/open-store.js';
import { CARDS_OPTION, checkCardsFolder, parse, reportErrors } from '../../src/commands/shared.js';
import { ConfigError } from '../../src/config.js';
import { AliasEnricher } from '../../src/detect/enricher.js';
import { log, notice, setLogSink } from '../../src/log.js';
import { type AppConfig, loadConfig } from '../config.js';

/** A first start without internet must not wait: the sample answers meanwhile. */
const FIRST_SYNC_TIMEOUT_MS = 10_000;

/** On top of the shutdown deadline: an adapter's own last steps (closing a socket) may take this. */
const STOP_GRACE_MS = 2000;

/**
 * Stop every adapter: each stops taking new work and waits for its replies in flight up to
 * `deadlineMs`, then drops the rest. One warning says how many replies were dropped. Resolves
 * by the deadline plus STOP_GRACE_MS even if an adapter's stop hangs.
 */
async function stopAdapters(
  adapters: RunningAdapter[],
  signal: string,
  deadlineMs: number,
): Promise<void> {
  log.info({ signal, deadlineMs }, 'stopping');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), deadlineMs + STOP_GRACE_MS);
  });
  const reports = adapters.map((a) =>
    a.stop(deadlineMs).then(
      (report): StopReport | 'failed' => report,
      (err: unknown): 'failed' => {
        log.error({ err, adapter: a.name }, 'stopping failed');
        return 'failed';
      },
    ),
  );
  const settled = await Promise.race([Promise.all(reports), late]);
  clearTimeout(timer);
  if (settled === 'late') {
    log.warn(
      { deadlineMs },
      `an adapter did not stop within ${seconds(deadlineMs + STOP_GRACE_MS)}; exiting anyway`,
    );
    return;
  }
  const dropped = settled.reduce((n, r) => n + (r === 'failed' ? 0 : r.dropped), 0);
  if (dropped > 0) {
    log.warn(
      { dropped, deadlineMs },
      `stopped with ${dropped} ${dropped === 1 ? 'reply' : 'replies'} dropped: still in flight ${seconds(deadlineMs)} after the signal (SHUTDOWN_TIMEOUT)`,
    );
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * With only the console, on a person's terminal, the log lines before it runs (the first parse of
 * a big folder, the state store) are plain words on stderr, as the console prints its own above
 * the prompt once it runs: not JSON a person has to read. LOG_FORMAT=json keeps the JSON.
 */
export function plainStartupLogs(config: AppConfig, io: CliIO): void {
  const toStart = adaptersToStart(config);
  const consoleOnly = toStart.length === 1 && toStart[0]?.adapter.name === 'console';
  const tty = (stream: unknown) => (stream as { isTTY?: boolean }).isTTY === true;
  if (!consoleOnly || config.console?.logFormat === 'json') return;
  if (!tty(io.stdin) || !tty(io.stderr)) return;
  setLogSink((line) => io.stderr.write(`${plainLogLine(line)}\n`));
}

/**
 * Start every adapter the settings configure (the console when none is), one after another; if
 * one fails to start, the ones already running are stopped before the error goes on.
 */
async function startAdapters(
  bot: Bot,
  config: AppConfig,
  deps: AdapterDeps,
): Promise<RunningAdapter[]> {
  const running: RunningAdapter[] = [];
  for (const { adapter, config: settings } of adaptersToStart(config)) {
    try {
      running.push(await adapter.start(bot, settings, deps));
    } catch (err) {
      await Promise.allSettled(running.map((a) => a.stop()));
      throw err;
    }
  }
  return running;
}

export const startCommand: Command = {
  name: 'start',
  usage: `aptcard start [--cards DIR]

Reads .env and the environment (see .env.example). With no platform token set, opens a console
chat on stdin/stdout: "/apt <query>", "@aptcard who is <name>?", any text, "help", "quit".

With only the bundled sample (no --cards, no CARDS_DIR, nothing synced yet) the public catalogs
are synced in the background (SYNC_ON_START=false turns that off); every SYNC_INTERVAL (default
24h, 0 off) the catalogs are synced again (see aptcard sync --help).`,
  async run(args, io) {
    const { values } = parse(args, CARDS_OPTION);
    let config: AppConfig;
    try {
      config = loadConfig(io.env, values.cards);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      io.stderr.write(`aptcard: ${err.message}\nSee .env.example for every setting.\n`);
      return 2;
    }
    log.level = config.logLevel;
    plainStartupLogs(config, io);
    checkCardsFolder(config.cardsDir);
    const { enrichment } = config;
    const library = await openServingLibrary(config.cardsDir, config.cacheDir, {
      extraDirs: config.extraCardsDirs,
      // A large first load's separate process builds the enrichment scanner too.
      ...(enrichment.enabled
        ? { scanner: { allow: enrichment.allow, deny: enrichment.deny } }
        : {}),
    });
    reportErrors(io, library.current.catalog);
    if (library.current.size === 0) {
      io.stderr.write(`aptcard: no cards loaded from ${config.cardsDir}\n`);
    }
    const { sync } = config;
    const firstSync = config.sampleOnly && sync.onStart;
    if (config.sampleOnly) {
      io.stderr.write(
        `aptcard: only the bundled sample is loaded (${library.current.size} card${library.current.size === 1 ? '' : 's'}); ${
          firstSync
            ? `loading the public catalogs in the background into ${sync.dir} (SYNC_ON_START=false turns this off)`
            : 'run "aptcard sync" to load the public catalogs'
        }\n`,
      );
    }
    const store = await openCommandStore(io, config.state);
    if (!store) return 2;
    // The enricher is also the mention scanner: one detector per catalog serves both.
    const enricher = new AliasEnricher(config.enrichment, {
      library,
      store,
      cacheDir: config.cacheDir,
    });
    const bot = new Bot(library, { enricher, scanner: enricher, store });

    let adapters: RunningAdapter[];
    try {
      adapters = await startAdapters(bot, config, {
        stdin: io.stdin,
        stdout: io.stdout,
        enrichment: config.enrichment,
      });
    } catch (err) {
      await store.close();
      throw err;
    }

    // On the sample, watch the folder the sync fills: its cards then join the sample's.
    const watchDir = config.sampleOnly ? sync.dir : config.cardsDir;
    const extraDirs = config.sampleOnly ? [config.cardsDir] : config.extraCardsDirs;
    if (config.sampleOnly && config.watch) {
      try {
        mkdirSync(watchDir, { recursive: true });
      } catch (err) {
        log.warn({ err: (err as Error).message, dir: watchDir }, 'cannot create the data folder');
      }
    }
    const watcher = config.watch
      ? watchCards(watchDir, library, { cacheDir: config.cacheDir, extraDirs })
      : undefined;
    const background = startBackgroundSync({
      dir: sync.dir,
      sources: sync.sources,
      now: firstSync,
      firstTimeoutMs: FIRST_SYNC_TIMEOUT_MS,
      intervalMs: sync.intervalMs,
      log,
      onFirst(results) {
        if (results.some((r) => r.ok)) return;
        notice(
          'aptcard: could not load the public catalogs (no network?); still answering from the sample. ' +
            'Run "aptcard sync" later, or point SYNC_SOURCES at a mirror',
          io.stderr,
        );
      },
    });
    // Load the prose index now, not on the first user's query (a cache hit costs milliseconds).
    setImmediate(() => library.current.warm());

    // A second SIGTERM or Ctrl-C while stopping finds no listener: Node's default ends the process.
    let stopping: Promise<void> | undefined;
    let stopped = () => {};
    const signalled = new Promise<void>((resolve) => {
      stopped = resolve;
    });
    const onSignal = (signal: NodeJS.Signals) => {
      stopping ??= stopAdapters(adapters, signal, config.shutdownMs).then(stopped);
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    try {
      // Until every adapter has ended (the console at end of input), or a signal's stop is over.
      await Promise.race([Promise.all(adapters.map((a) => a.done)), signalled]);
      await stopping;
    } finally {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      background.stop();
      await watcher?.stop();
      await enricher.stop();
      await store.close();
    }
    return 0;
  },
};
