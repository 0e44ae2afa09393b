import type { Worker } from 'node:worker_threads';
import { displayName, type LoadedCard } from '../cards/model.js';
import type { Library } from '../catalog/library.js';
import type { EnrichmentConfig } from '../config.js';
import type {
  AliasScanner,
  BotRequest,
  DeclinedName,
  Enricher,
  MuteResult,
  Reply,
} from '../core/types.js';
import { log } from '../log.js';
import { compactActor } from '../reply/build.js';
import { MESSAGES } from '../reply/messages.js';
import type { SearchIndex } from '../search/index.js';
import { type ChannelSettings, isMuted } from '../state/channel-settings.js';
import { MemoryStore } from '../state/memory.js';
import { type StateStore, StoreUnavailableError } from '../state/store.js';
import { ChannelControls } from './controls.js';
import {
  type DetectedActor,
  type Detection,
  Detector,
  type DetectorOptions,
  oneSharedName,
} from './detector.js';
import { englishFrequencies, type WordFrequencies } from './frequency.js';
import { readCachedTables, saveCachedTables, scannerCacheKey } from './scanner-cache.js';
import { defaultScannerWorker, ScannerClient } from './scanner-client.js';
import type { ScannerTables } from './scanner-tables.js';
import { settleSharedNames } from './settle.js';
import { englishWords, type WordList } from './words.js';

export interface EnricherOptions {
  /** Milliseconds since the epoch; tests pass a fake clock. */
  now?: () => number;
  /**
   * Build the scanner for this library's catalog soon after start (off the start-up path) and
   * again at every reload, so no message waits for a build.
   */
  library?: Library;
  /** The English word list (tests pass a small one). */
  words?: WordList;
  /** English word counts (tests pass a small one). */
  frequencies?: WordFrequencies;
  /**
   * Where cooldowns and what was posted per message are kept: shared by replicas (Redis) and
   * kept over restarts (the file). Default: this process's memory.
   */
  store?: StateStore;
  /**
   * Where a catalog's scanner is built: a worker thread (default, when the compiled worker is
   * there and the English lists are the packages'), or false: on this thread.
   */
  scannerWorker?: (() => Worker) | false;
  /**
   * The cache folder (config.cacheDir): the start-up catalog's scanner tables are read from it
   * when an earlier run saved them (no worker started), and saved there after a worker's
   * build. Only the start-up catalog's: the cache key reads every card's hash, 17-30 ms of
   * main thread at 10,000 cards, more than a reload may hold it (a restart after a reload
   * builds once in its worker, and saves).
   */
  cacheDir?: string | false;
  /** Called when the scanner of a library's catalog is ready (tests, benchmarks). */
  onScannerReady?: (index: SearchIndex, detector: Detector) => void;
}

/** How long "this actor was posted for this message" is remembered (edits come within hours). */
const MESSAGE_TTL_MS = 24 * 3600_000;

/**
 * A muted name never fires in its channel: an actor's line is left out when its name is muted
 * ("Not this actor" mutes it), or when every name the message used for it is.
 */
function mutedHere(settings: ChannelSettings, actor: DetectedActor): boolean {
  if (settings.muted.length === 0) return false;
  if (isMuted(settings, displayName(actor.entry.card))) return true;
  return actor.aliases.length > 0 && actor.aliases.every((alias) => isMuted(settings, alias));
}

/**
 * Automatic enrichment: when a channel message names actors, answer with one compact line per
 * actor. Platform-agnostic; every adapter gets the same policy, channel by channel (the
 * environment's defaults, overridden from chat with `/apt settings`: see ./controls.ts):
 *  - nothing for bots (this one included), where it is off, or for a name muted there;
 *  - at most `maxActors` actors per message, in the order the message names them;
 *  - each actor at most once per cooldown per channel (per platform);
 *  - a message seen again (an edit, a redelivery: same messageId) only posts actors it has not
 *    posted for that message before.
 * Both are claims in the state store (set-if-absent with a TTL), so two replicas or a restarted
 * process never post the same line twice; when the store cannot answer, nothing is posted.
 * The scanner is built once per catalog (cached by SearchIndex, so a reload gets a new one),
 * in a worker thread (scanner-client.ts): after a reload the last scanner keeps answering, for
 * its own catalog, until the new one is ready; the main thread only wraps the new tables.
 */
export class AliasEnricher implements Enricher<SearchIndex>, AliasScanner<SearchIndex, LoadedCard> {
  private readonly detectors = new WeakMap<SearchIndex, Detector>();
  private readonly store: StateStore;
  /** The channel settings: read here per message, changed by `/apt settings`. */
  readonly controls: ChannelControls;
  private readonly now: () => number;
  private readonly detectorOptions: DetectorOptions;
  /** Builds off this thread, when there is a worker. */
  private readonly builds: ScannerClient | undefined;
  /** The newest catalog of the library, whose scanner is wanted. */
  private wanted: SearchIndex | undefined;
  /** The newest scanner ready: answers for a newer catalog until that one's is ready. */
  private latest: Detector | undefined;
  private building = false;
  private unsubscribe: (() => void) | undefined;
  /**
   * The library's catalogs: one whose scanner is not built (yet, or ever: one skipped by a
   * quicker swap) is answered by the latest scanner, never built here on a message's path.
   */
  private readonly offered = new WeakSet<SearchIndex>();
  private stopped = false;
  private readonly onScannerReady: EnricherOptions['onScannerReady'];
  /** The cache folder, until the start-up catalog's tables were looked up there. */
  private cacheDir: string | false;
  /** The last tables being saved to the cache folder. */
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: EnrichmentConfig,
    options: EnricherOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.store = options.store ?? new MemoryStore(this.now);
    this.controls = new ChannelControls(config, this.store, this.now);
    this.detectorOptions = {
      allow: config.allow,
      deny: config.deny,
      ...(options.words ? { words: options.words } : {}),
      ...(options.frequencies ? { frequencies: options.frequencies } : {}),
    };
    this.onScannerReady = options.onScannerReady;
    this.cacheDir = options.cacheDir ?? false;
    const { library } = options;
    const ownLists = options.words === undefined && options.frequencies === undefined;
    if (ownLists && options.cacheDir) this.cacheDir = options.cacheDir;
    const start =
      options.scannerWorker ?? (ownLists ? defaultScannerWorker() : undefined) ?? undefined;
    this.builds =
      library && config.enabled && start
        ? new ScannerClient(start, { allow: config.allow, deny: config.deny })
        : undefined;
    if (library && config.enabled) {
      // The lists judge names on first use: read them now, off the start-up path, rather than
      // at a reload's first message.
      if (this.builds && ownLists) {
        setImmediate(() => {
          englishWords();
          englishFrequencies();
        }).unref();
      }
      const want = (index: SearchIndex) => {
        this.wanted = index;
        this.offered.add(index);
        // On a turn of its own: a swap is one step of the main thread, and sending a merged
        // catalog's actors to the worker made that step 20-50 ms longer.
        setImmediate(() => {
          if (!this.building && !this.stopped) void this.prepare();
        });
      };
      this.unsubscribe = library.onSwap(want);
      want(library.current);
    }
  }

  /**
   * The scanner for this catalog: its own once ready; for a library catalog whose scanner the
   * worker has not made, the latest scanner (which names its own catalog's cards); else built
   * here, now.
   */
  detectorFor(index: SearchIndex): Detector {
    const ready = this.detectors.get(index);
    if (ready) return ready;
    if (this.builds && this.latest && this.offered.has(index)) return this.latest;
    return this.ready(index, new Detector(index.catalog.profiles, this.detectorOptions));
  }

  private ready(index: SearchIndex, detector: Detector): Detector {
    const known = this.detectors.get(index);
    if (known) return known; // built here meanwhile (a message came first): keep that one
    this.detectors.set(index, detector);
    if (index === this.wanted || !this.latest) this.latest = detector;
    log.debug(
      { cards: index.size, keys: detector.keyCount, ms: Math.round(detector.buildMs) },
      'enrichment scanner ready',
    );
    this.onScannerReady?.(index, detector);
    return detector;
  }

  /** Build the wanted catalog's scanner, and again while a newer catalog came meanwhile. */
  private async prepare(): Promise<void> {
    this.building = true;
    try {
      for (let index = this.wanted; index && !this.detectors.has(index); index = this.wanted) {
        const tables = await this.tablesFor(index);
        if (this.stopped) return;
        if (this.detectors.has(index)) continue;
        const { actors } = index.catalog;
        const detector = tables
          ? new Detector({ tables, entryAt: (i) => actors[i]!.profile.entry }, this.detectorOptions)
          : new Detector(index.catalog.profiles, this.detectorOptions);
        this.ready(index, detector);
      }
    } finally {
      this.building = false;
    }
  }

  /**
   * The tables saved in the cache folder, else from the worker (then saved); undefined: build
   * on this thread (after queued work runs).
   */
  private async tablesFor(index: SearchIndex): Promise<ScannerTables | undefined> {
    if (this.builds) {
      const { catalog } = index;
      const policy = { allow: this.config.allow, deny: this.config.deny };
      const { cacheDir } = this;
      this.cacheDir = false;
      const key = cacheDir ? scannerCacheKey(catalog, policy) : undefined;
      try {
        const saved =
          cacheDir && key ? await readCachedTables(catalog, policy, cacheDir, key) : undefined;
        if (saved) return saved;
        const tables = await this.builds.build(catalog);
        if (cacheDir && key) this.saving = saveCachedTables(catalog, policy, cacheDir, tables, key);
        return tables;
      } catch (err) {
        if (this.stopped) return undefined;
        log.warn({ err: (err as Error).message }, 'scanner worker failed; building here');
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
    return undefined;
  }

  /** Resolves once the tables being saved to the cache folder are written (or failed). */
  saved(): Promise<void> {
    return this.saving;
  }

  /** Stop following the library's swaps and end the scanner worker (shutdown, tests). */
  stop(): Promise<number> | undefined {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    return this.builds?.end();
  }

  /** What a text names: a shared name the catalog settled names only its actor (settle.ts). */
  private detection(text: string, index: SearchIndex): Detection {
    return settleSharedNames(this.detectorFor(index).detect(text), index.catalog);
  }

  /** The cards a text names (for "@aptcard who is TEMP.Zhenbao?"), each once, in order. */
  actorsIn(text: string, index: SearchIndex): LoadedCard[] {
    return this.detection(text, index).actors.map((a) => a.entry);
  }

  /** The names the text writes that were not taken for actors (a lower-case "lazarus"). */
  declinedIn(text: string, index: SearchIndex): DeclinedName[] {
    return this.detectorFor(index).declined(text);
  }

  /** Are the cards the text names all named by one name they share ("who is Iron Tiger")? */
  oneSharedNameIn(text: string, index: SearchIndex): boolean {
    return oneSharedName(this.detection(text, index), text);
  }

  async enrich(request: BotRequest, index: SearchIndex): Promise<Reply | null> {
    const { controls } = this;
    if (request.kind !== 'message' || request.fromBot) return null;
    if (!request.text.trim()) return null;
    try {
      // Off by the environment here: only a chat "on" enables it, so ask before scanning.
      let settings = controls.defaults(request).enabled
        ? undefined
        : await controls.settingsFor(request);
      if (settings && !settings.enabled) return null;
      const { actors } = this.detection(request.text, index);
      if (actors.length === 0) return null;
      settings ??= await controls.settingsFor(request);
      if (!settings.enabled) return null;
      const here = settings;
      const allowed = actors.filter((a) => !mutedHere(here, a));
      const chosen = await this.claim(request, allowed, here.cooldownMinutes);
      if (chosen.length === 0) return null;
      return {
        kind: 'enrichment',
        actors: chosen.map((a) => compactActor(a.entry.card, a.entry, a.aliases)),
      };
    } catch (err) {
      // Rather say nothing than risk posting a line another replica (or the last run) posted.
      if (err instanceof StoreUnavailableError) return null;
      throw err;
    }
  }

  /**
   * The lines a reply should hold after its message was edited: of `posted` (the actor uuids
   * the reply shows now), those the new text still names, in their order, then actors the text
   * newly names, claimed as a new message's are (cooldown included), up to `maxActors` in all.
   * An empty list: no line is left, the reply goes. null: the store could not say (leave the
   * reply alone), or the edit changes nothing.
   */
  async revise(
    request: BotRequest,
    index: SearchIndex,
    posted: readonly string[],
  ): Promise<Reply | null> {
    const { config } = this;
    if (request.fromBot) return null;
    let settings: ChannelSettings | undefined;
    try {
      settings = await this.controls.settingsFor(request);
    } catch (err) {
      // The store cannot say: names edited away still go; nothing is added (see below).
      if (!(err instanceof StoreUnavailableError)) throw err;
    }
    const { actors } = this.detection(request.text, index);
    const here = settings;
    const named = new Map(
      actors.filter((a) => !(here && mutedHere(here, a))).map((a) => [a.uuid, a]),
    );
    const kept = posted.flatMap((uuid) => {
      const actor = named.get(uuid);
      return actor ? [actor] : [];
    });
    const fresh = [...named.values()].filter((a) => !posted.includes(a.uuid));
    // New names, and the store cannot say whether they may be posted: leave the reply alone.
    if (!here && fresh.length > 0) return null;
    let added: DetectedActor[] = [];
    if (here?.enabled && fresh.length > 0 && kept.length < config.maxActors) {
      try {
        added = await this.claim(
          { ...request, edited: true },
          fresh,
          here.cooldownMinutes,
          config.maxActors - kept.length,
        );
      } catch (err) {
        if (err instanceof StoreUnavailableError) return null;
        throw err;
      }
    }
    if (added.length === 0 && kept.length === posted.length) return null;
    return {
      kind: 'enrichment',
      actors: [...kept, ...added].map((a) => compactActor(a.entry.card, a.entry, a.aliases)),
    };
  }

  /** `/apt settings <args>` in a channel (see ./controls.ts). */
  settings(request: BotRequest, args: string): Promise<Reply> {
    return this.controls.command(request, args);
  }

  /**
   * "Not this actor" on a message showing `shown`: the actor's name is muted in the channel,
   * and the lines the message keeps are those of the other actors not muted there (rebuilt from
   * the catalog; a card no longer in it loses its line). null lines: nothing to change.
   */
  async notThisActor(
    request: BotRequest,
    uuid: string,
    shown: readonly string[],
    index: SearchIndex,
  ): Promise<MuteResult> {
    const { catalog } = index;
    const entry = catalog.profileOf(uuid);
    if (!entry) return { notice: { kind: 'error', message: MESSAGES.cardGone }, lines: null };
    const notice = await this.controls.mute(request, displayName(entry.card));
    if (notice.kind !== 'settings') return { notice, lines: null };
    const muted = { muted: notice.settings.muted.map((m) => m.name) };
    const actors = shown.flatMap((shownUuid) => {
      const e = catalog.profileOf(shownUuid);
      if (!e || e.card.uuid === entry.card.uuid || isMuted(muted, displayName(e.card))) return [];
      return [compactActor(e.card, e, [])];
    });
    if (actors.length === shown.length) return { notice, lines: null };
    return { notice, lines: { kind: 'enrichment', actors } };
  }

  /**
   * The actors to post, in order: for each, first claim it for this message (an edit or a
   * redelivery of the message claims nothing new), then the channel's cooldown. An actor in
   * cooldown gives its message claim back, so an edit after the cooldown may still post it.
   */
  private async claim(
    request: BotRequest,
    actors: DetectedActor[],
    cooldownMinutes: number,
    limit = this.config.maxActors,
  ): Promise<DetectedActor[]> {
    const { store } = this;
    const cooldownMs = cooldownMinutes * 60_000;
    const where = `${request.platform}:${request.channel ?? ''}`;
    const stamp = String(this.now());
    const chosen: DetectedActor[] = [];
    for (const actor of actors) {
      if (chosen.length >= limit) break;
      const messageKey = request.messageId
        ? `enrich:msg:${where}:${request.messageId}:${actor.uuid}`
        : undefined;
      if (messageKey && !(await store.setIfAbsent(messageKey, stamp, MESSAGE_TTL_MS))) continue;
      if (
        cooldownMs > 0 &&
        !(await store.setIfAbsent(`enrich:cool:${where}:${actor.uuid}`, stamp, cooldownMs))
      ) {
        if (messageKey) await store.delete(messageKey);
        continue;
      }
      chosen.push(actor);
    }
    return chosen;
  }
}
