/**
 * Hot reload: watch the cards folder and swap in a new catalog and index when it changes.
 *
 * - Changes are debounced: 25 ms after a change to one file, 300 ms of quiet once a second file
 *   changes, and at most 2 s after the first change, so an edit is served at once and an
 *   import landing hundreds of files gives one reload, or a few.
 * - Incremental reload (the default): the worker, kept between reloads, reads only the files
 *   whose stats changed, groups the cards again and answers with what differs from the serving
 *   catalog (delta.ts, reload-builder.ts). The main thread makes the next catalog from the
 *   serving one plus the changed actors (apply-delta.ts) and, in one synchronous step with the
 *   swap, updates the search index in place (SearchIndex.updated). A large change (more than
 *   MAX_DELTA_ACTORS actors, a changed overrides file) is a full rebuild as below.
 * - Full rebuild: the next catalog and index are built off the request path, in a worker thread that loads
 *   the folder (the parsed-card cache means only changed files are parsed again), builds both
 *   MiniSearch indexes and serializes them. The main thread only rebuilds the catalog's lookup
 *   tables and deserializes the indexes, then `library.swap()` replaces the index in one
 *   assignment. Queries keep being answered from the current index until then and never see half
 *   a catalog. Why a worker: building on the main thread holds every query for the whole build
 *   (447 cards: ~0.65 s; 10,000 cards: ~5 s, measured by `npm run bench -- import`), while the
 *   worker leaves ~0.12 s and ~0.7 s of deserializing there. MiniSearch's chunked loadJSONAsync
 *   was tried for that part and barely shortened the longest pause (one JSON.parse dominates).
 *   Without the compiled worker (running from the TypeScript sources) the build runs on the main
 *   thread instead.
 * - A reload whose catalog has errors the serving one did not (a broken edit: no title, a bad
 *   UUID, a duplicate UUID, an unreadable folder) is not swapped in: the last good catalog keeps
 *   serving, and each new error is logged with its file and line. The next good change swaps.
 */
import { type FSWatcher, watch } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { log as defaultLog } from '../log.js';
import type { SearchIndex } from '../search/index.js';
import { catalogFromDelta } from './apply-delta.js';
import { usableCacheDir } from './cache.js';
import type { Catalog } from './catalog.js';
import { buildIndex } from './catalog-index.js';
import { baselineInSteps, baselineOf, rememberBaseline } from './delta.js';
import { type ChangeListener, FolderWatch } from './folder-watch.js';
import type { CatalogIssue } from './issues.js';
import type { Library } from './library.js';
import { loadCatalog } from './load.js';
import type { BuildReply, BuildRequest } from './protocol.js';
import { ReloadBuilder } from './reload-builder.js';
import { ReloadWorker } from './reload-worker.js';
import { errorKey, folderIdentity, isRelevantChange, sameCatalog } from './watch-checks.js';
import {
  defaultWorker,
  indexFromReply,
  indexFromReplyInSteps,
  timedSlices,
} from './worker-load.js';

export interface WatchLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface WatchOptions {
  /** Parsed-card and index cache folder (as for loadCatalog); false: none. */
  cacheDir: string | false;
  /** Folders read together with the watched one at every reload (not watched themselves). */
  extraDirs?: readonly string[];
  /** Quiet time after the last change before reloading, once more than one file changed. */
  debounceMs?: number;
  /** The wait after a change to a single file (default 25 ms; never more than debounceMs). */
  singleChangeMs?: number;
  /**
   * Reload incrementally (default true): only the changed cards parsed, the index updated in
   * place. False: every reload is a full rebuild (the benchmark's baseline).
   */
  incremental?: boolean;
  /** A stream of changes still reloads this long after its first change. */
  maxWaitMs?: number;
  /**
   * Where the build runs: true (default) a worker thread when the compiled worker exists,
   * false the main thread, or a function that starts the worker (tests).
   */
  worker?: boolean | (() => Worker);
  log?: WatchLog;
  /** Called after every reload attempt (tests, benchmarks). */
  onReload?: (result: ReloadResult) => void;
  /** How often to check that the folder at the path is still the one watched (default 1 s). */
  folderCheckMs?: number;
}

export interface ReloadResult {
  /** The new catalog is serving. */
  swapped: boolean;
  /** Why not: 'unchanged' (same files), 'errors' (a broken edit), 'failed' (the build threw). */
  reason?: 'unchanged' | 'errors' | 'failed';
  cards: number;
  /** Errors that kept the last good catalog serving. */
  errors: CatalogIssue[];
  /** From the start of the build to the swap. */
  ms: number;
  /** The longest the main thread was busy with this reload in one go. */
  mainThreadMs: number;
  inWorker: boolean;
  /** Applied as a delta to the serving index (else a full rebuild). */
  incremental: boolean;
}

interface Built {
  catalog: Catalog;
  /**
   * The index to swap in. An incremental one changes the serving index's MiniSearch indexes,
   * so it is made only once the swap is decided, in the same synchronous step.
   */
  commit: () => SearchIndex;
  /** The main thread's longest step before this one (the request, an in-thread build). */
  mainThreadMs: number;
  /** When this synchronous step began (the reply arrived). */
  stepStart: number;
  inWorker: boolean;
  incremental: boolean;
}

/** The single-change wait. */
const SINGLE_CHANGE_MS = 25;
/** The name schedule() is given by a reload asking for another (a change came meanwhile). */
const RERUN = '\u0000rerun';

export { isRelevantChange } from './watch-checks.js';

export class CardWatcher {
  private readonly debounceMs: number;
  private readonly singleChangeMs: number;
  private readonly maxWaitMs: number;
  private readonly incremental: boolean;
  private readonly log: WatchLog;
  /** The reload worker, when there is one; else reloads build on the main thread. */
  private readonly worker: ReloadWorker | undefined;
  /** An incremental reload on the main thread (no compiled worker). */
  private readonly inThread = new ReloadBuilder();
  /** The files changed since the debounce started (the wait is short while there is one). */
  private readonly changed = new Set<string | null>();
  /** options.cacheDir once checked (usableCacheDir): the worker is only given a usable one. */
  private readonly cacheDir: string | false;
  private fsWatcher: { close(): void } | undefined;
  /** Device and inode of the folder being watched: a watch follows the inode, not the path. */
  private watchedFolder: string | undefined;
  private folderCheck: NodeJS.Timeout | undefined;
  private timer: NodeJS.Timeout | undefined;
  private firstChangeAt: number | undefined;
  private running: Promise<ReloadResult> | undefined;
  private dirty = false;
  private stopped = false;
  private nextId = 1;
  /** The errors last logged, so a broken file is reported once, not on every reload. */
  private lastLogged = '';

  constructor(
    readonly dir: string,
    private readonly library: Library,
    private readonly options: WatchOptions,
  ) {
    this.debounceMs = options.debounceMs ?? 300;
    this.singleChangeMs = Math.min(options.singleChangeMs ?? SINGLE_CHANGE_MS, this.debounceMs);
    this.maxWaitMs = options.maxWaitMs ?? 2000;
    this.incremental = options.incremental ?? true;
    this.log = options.log ?? defaultLog;
    this.cacheDir = usableCacheDir(options.cacheDir);
    const worker = options.worker ?? true;
    const start = typeof worker === 'function' ? worker : worker ? defaultWorker() : undefined;
    const onError = (err: string) => this.log.error({ err }, 'reload worker failed');
    this.worker = start && new ReloadWorker(start, onError);
  }

  /**
   * Start watching. A folder that cannot be watched (missing, unreadable) is logged, not thrown:
   * the bot still serves what it loaded. The watcher never keeps the process alive on its own.
   */
  start(): this {
    this.arm();
    // What the first incremental reload sends, made now in small steps rather than then.
    if (this.incremental) void baselineInSteps(this.library.current.catalog);
    // A folder renamed over or deleted and made again is a new inode the old watch never sees:
    // check the path now and then, and watch it again when it changed.
    this.folderCheck = setInterval(() => this.checkFolder(), this.options.folderCheckMs ?? 1000);
    this.folderCheck.unref();
    return this;
  }

  private arm(): void {
    const onChange = (_event: string, name: string | null) => {
      if (isRelevantChange(name)) this.schedule(name);
    };
    this.watchedFolder = folderIdentity(this.dir);
    const onError = (err: Error) => {
      this.log.error(
        { dir: this.dir, err: err.message },
        'cards folder watch failed; watching again when the folder is back',
      );
      this.fsWatcher?.close();
      this.fsWatcher = undefined;
      this.watchedFolder = undefined;
    };
    try {
      // Linux: one watch per folder (folder-watch.ts says why not Node's recursive watch).
      if (process.platform === 'linux')
        this.fsWatcher = new FolderWatch(this.dir, onChange, onError);
      else this.fsWatcher = this.nodeWatch(onChange, onError);
    } catch (err) {
      this.log.warn(
        { dir: this.dir, err: (err as Error).message },
        'cannot watch the cards folder; changes need a restart',
      );
    }
  }

  private nodeWatch(onChange: ChangeListener, onError: (err: Error) => void): FSWatcher {
    let watcher: FSWatcher;
    try {
      watcher = watch(this.dir, { recursive: true }, onChange);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM') throw err;
      watcher = watch(this.dir, onChange); // the top folder only
    }
    watcher.unref();
    watcher.on('error', onError);
    return watcher;
  }

  /** Watch the folder again if the path now names another folder (or one came back). */
  private checkFolder(): void {
    if (this.stopped) return;
    const now = folderIdentity(this.dir);
    if (now === this.watchedFolder) return;
    this.fsWatcher?.close();
    this.fsWatcher = undefined;
    if (now === undefined) {
      this.watchedFolder = undefined;
      this.log.warn(
        { dir: this.dir },
        'cards folder is gone; serving the last catalog until it is back',
      );
      return;
    }
    this.log.info({ dir: this.dir }, 'cards folder was replaced; watching the new one');
    // (or its ConfigMap link now points to a new version: the same re-arm and reload serve)
    this.arm();
    this.schedule();
  }

  /**
   * Ask for a reload after the debounce (what a file change does): `file` is the changed file
   * (null: unknown, as for a folder swapped whole). While only one file changed the wait is
   * the short single-change one; a second file makes it a stream, gathered by the longer quiet.
   */
  schedule(file: string | null = null): void {
    if (this.stopped) return;
    const now = Date.now();
    this.firstChangeAt ??= now;
    this.changed.add(file);
    const single = this.changed.size === 1 && file !== null;
    const quiet = single ? this.singleChangeMs : this.debounceMs;
    const wait = Math.max(0, Math.min(quiet, this.firstChangeAt + this.maxWaitMs - now));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fire(), wait);
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    this.firstChangeAt = undefined;
    this.changed.clear();
    if (this.running) {
      this.dirty = true; // reload again once the current one is done
      return;
    }
    void this.reload();
  }

  /** Reload now (also what the debounce timer calls). One reload runs at a time. */
  reload(): Promise<ReloadResult> {
    if (this.running) {
      this.dirty = true;
      return this.running;
    }
    const run = this.doReload().finally(() => {
      this.running = undefined;
      if (this.dirty && !this.stopped) {
        this.dirty = false;
        this.schedule(RERUN);
      }
    });
    this.running = run;
    return run;
  }

  private async doReload(): Promise<ReloadResult> {
    const started = performance.now();
    const current = this.library.current;
    let result: ReloadResult;
    try {
      const built = await this.build(current);
      const next = built.catalog;
      const known = new Set(
        current.catalog.issues.filter((i) => i.level === 'error').map(errorKey),
      );
      const fresh = next.issues.filter((i) => i.level === 'error' && !known.has(errorKey(i)));
      const base = {
        cards: next.actors.length,
        ms: performance.now() - started,
        mainThreadMs: Math.max(built.mainThreadMs, performance.now() - built.stepStart),
        inWorker: built.inWorker,
        incremental: built.incremental,
      };
      if (this.stopped) {
        result = { ...base, swapped: false, reason: 'unchanged', errors: [] };
      } else if (fresh.length > 0) {
        this.logErrors(fresh);
        result = { ...base, swapped: false, reason: 'errors', errors: fresh };
      } else if (this.library.current === current && sameCatalog(current.catalog, next)) {
        this.lastLogged = '';
        result = { ...base, swapped: false, reason: 'unchanged', errors: [] };
      } else {
        this.lastLogged = '';
        // One synchronous step from here to the swap: no query runs in between.
        this.library.swap(built.commit());
        const now = performance.now();
        const mainThreadMs = Math.max(built.mainThreadMs, now - built.stepStart);
        result = { ...base, ms: now - started, mainThreadMs, swapped: true, errors: [] };
        this.log.info(
          {
            actors: next.actors.length,
            cards: next.cards.length,
            ms: Math.round(result.ms),
            mainThreadMs: Math.round(mainThreadMs),
            incremental: built.incremental,
          },
          'cards reloaded',
        );
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!this.stopped) {
        this.log.error(
          { dir: this.dir, err: message },
          'cards reload failed; keeping the last good catalog',
        );
      }
      result = {
        swapped: false,
        reason: 'failed',
        cards: current.size,
        errors: [],
        ms: performance.now() - started,
        mainThreadMs: 0,
        inWorker: false,
        incremental: false,
      };
    }
    this.options.onReload?.(result);
    return result;
  }

  private logErrors(errors: CatalogIssue[]): void {
    const key = errors.map((e) => `${errorKey(e)}:${e.line}`).join('\n');
    if (key === this.lastLogged) return;
    this.lastLogged = key;
    for (const e of errors) {
      this.log.error(
        { file: e.file, line: e.line },
        `${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}; keeping the last good catalog`,
      );
    }
  }

  private request(current: SearchIndex): BuildRequest {
    // A delta changes the serving index's prose index in place: it must be in memory.
    const baseline = this.incremental && current.warmed ? baselineOf(current.catalog) : undefined;
    return {
      id: this.nextId++,
      dir: this.dir,
      cacheDir: this.cacheDir,
      ...(this.options.extraDirs?.length ? { extraDirs: [...this.options.extraDirs] } : {}),
      ...(this.incremental ? { incremental: true } : {}),
      ...(baseline ? { baseline } : {}),
    };
  }

  private async build(current: SearchIndex): Promise<Built> {
    if (this.worker) {
      const t = performance.now();
      const request = this.request(current);
      const requestMs = performance.now() - t;
      const reply = await this.worker.request(request);
      // The full-rebuild worker is ended after each build: its heap (every card parsed, both
      // indexes built) would otherwise stay in the process between reloads. The incremental
      // one remembers the files for the next reload (reload-worker.ts ends it when idle).
      this.worker.done(this.incremental);
      try {
        return await this.fromReply(reply, current, requestMs, true);
      } finally {
        this.worker.taken(reply.id);
      }
    }
    // On the main thread: yield first so queries already queued are answered.
    await new Promise((resolve) => setImmediate(resolve));
    const t = performance.now();
    if (this.incremental) {
      const reply = this.inThread.build(this.request(current));
      setImmediate(() => void this.inThread.saveCaches());
      const built = await this.fromReply(reply, current, 0, false);
      return { ...built, stepStart: t };
    }
    const catalog = loadCatalog(this.dir, {
      cacheDir: this.cacheDir,
      ...(this.options.extraDirs ? { extraDirs: this.options.extraDirs } : {}),
    });
    const index = buildIndex(catalog, this.cacheDir).warm();
    const inThread = { mainThreadMs: 0, stepStart: t, inWorker: false, incremental: false };
    return { ...inThread, catalog, commit: () => index };
  }

  /**
   * The next catalog from a build's reply; its index made when committed (a delta), or before,
   * in slices while the current index serves (a full rebuild).
   */
  private async fromReply(
    reply: BuildReply,
    current: SearchIndex,
    mainThreadMs: number,
    inWorker: boolean,
  ): Promise<Built> {
    let stepStart = performance.now();
    if (!reply.ok) throw new Error(reply.error);
    if ('delta' in reply) {
      if (this.library.current !== current)
        throw new Error('the serving catalog changed meanwhile');
      const { catalog, removed, added } = catalogFromDelta(current.catalog, reply.delta);
      const commit = () => current.updated(catalog, removed, added);
      return { catalog, commit, mainThreadMs, stepStart, inWorker, incremental: true };
    }
    if (!('cards' in reply)) throw new Error('reload worker sent no cards');
    const slices = timedSlices();
    const index = inWorker ? await indexFromReplyInSteps(reply, slices) : indexFromReply(reply);
    const catalog = index.catalog;
    if (reply.baseline) rememberBaseline(catalog, reply.baseline);
    // What follows (checks, the swap) is the last slice; the longest before it counts too.
    const longest = Math.max(mainThreadMs, slices.longest());
    if (inWorker) stepStart = performance.now();
    return {
      catalog,
      commit: () => index,
      mainThreadMs: longest,
      stepStart,
      inWorker,
      incremental: false,
    };
  }

  /** Stop watching and end the worker (a reload in progress is abandoned, never swapped in). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.folderCheck);
    this.fsWatcher?.close();
    this.fsWatcher = undefined;
    await this.worker?.end();
    await this.running?.catch(() => undefined);
  }
}

/** Watch `dir` and keep `library` current. Call stop() on shutdown. */
export function watchCards(dir: string, library: Library, options: WatchOptions): CardWatcher {
  return new CardWatcher(dir, library, options).start();
}
