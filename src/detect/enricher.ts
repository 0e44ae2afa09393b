import type { LoadedCard } from '../cards/model.js';
import type { Library } from '../catalog/library.js';
import type { EnrichmentConfig } from '../config.js';
import type { AliasScanner, BotRequest, Enricher, Reply } from '../core/types.js';
import { log } from '../log.js';
import { compactActor } from '../reply/build.js';
import type { SearchIndex } from '../search/index.js';
import { MemoryStore } from '../state/memory.js';
import { type StateStore, StoreUnavailableError } from '../state/store.js';
import { channelKey } from './channels.js';
import { type DetectedActor, Detector, type DetectorOptions } from './detector.js';
import type { WordFrequencies } from './frequency.js';
import type { WordList } from './words.js';

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
}

/** How long "this actor was posted for this message" is remembered (edits come within hours). */
const MESSAGE_TTL_MS = 24 * 3600_000;

/**
 * Automatic enrichment: when a channel message names actors, answer with one compact line per
 * actor. Platform-agnostic; every adapter gets the same policy:
 *  - nothing for bots (this one included), for a disabled channel, or when switched off;
 *  - at most `maxActors` actors per message, in the order the message names them;
 *  - each actor at most once per `cooldownMinutes` per channel (per platform);
 *  - a message seen again (an edit, a redelivery: same messageId) only posts actors it has not
 *    posted for that message before.
 * Both are claims in the state store (set-if-absent with a TTL), so two replicas or a restarted
 * process never post the same line twice; when the store cannot answer, nothing is posted.
 * The scanner is built once per catalog (cached by SearchIndex, so a reload gets a new one).
 */
export class AliasEnricher implements Enricher<SearchIndex>, AliasScanner<SearchIndex, LoadedCard> {
  private readonly detectors = new WeakMap<SearchIndex, Detector>();
  private readonly store: StateStore;
  private readonly disabled: Set<string>;
  private readonly now: () => number;
  private readonly detectorOptions: DetectorOptions;

  constructor(
    private readonly config: EnrichmentConfig,
    options: EnricherOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.store = options.store ?? new MemoryStore(this.now);
    this.disabled = new Set(config.disabledChannels.map(channelKey));
    this.detectorOptions = {
      allow: config.allow,
      deny: config.deny,
      ...(options.words ? { words: options.words } : {}),
      ...(options.frequencies ? { frequencies: options.frequencies } : {}),
    };
    const { library } = options;
    if (library && config.enabled) {
      const warm = (index: SearchIndex) => setImmediate(() => this.detectorFor(index)).unref();
      library.onSwap(warm);
      warm(library.current);
    }
  }

  /** The scanner for this catalog, built on first use. */
  detectorFor(index: SearchIndex): Detector {
    let detector = this.detectors.get(index);
    if (!detector) {
      detector = new Detector(index.catalog.profiles, this.detectorOptions);
      this.detectors.set(index, detector);
      log.debug(
        { cards: index.size, keys: detector.keyCount, ms: Math.round(detector.buildMs) },
        'enrichment scanner built',
      );
    }
    return detector;
  }

  /** The cards a text names (for "@aptcard who is TEMP.Zhenbao?"), each once, in order. */
  actorsIn(text: string, index: SearchIndex): LoadedCard[] {
    return this.detectorFor(index)
      .detect(text)
      .actors.map((a) => a.entry);
  }

  async enrich(request: BotRequest, index: SearchIndex): Promise<Reply | null> {
    const { config } = this;
    if (!config.enabled || request.kind !== 'message' || request.fromBot) return null;
    if (request.channel !== undefined && this.disabled.has(channelKey(request.channel)))
      return null;
    if (!request.text.trim()) return null;
    const { actors } = this.detectorFor(index).detect(request.text);
    if (actors.length === 0) return null;
    try {
      const chosen = await this.claim(request, actors);
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
    if (!config.enabled || request.fromBot) return null;
    const { actors } = this.detectorFor(index).detect(request.text);
    const named = new Map(actors.map((a) => [a.uuid, a]));
    const kept = posted.flatMap((uuid) => {
      const actor = named.get(uuid);
      return actor ? [actor] : [];
    });
    const fresh = actors.filter((a) => !posted.includes(a.uuid));
    let added: DetectedActor[] = [];
    if (fresh.length > 0 && kept.length < config.maxActors) {
      try {
        added = await this.claim(
          { ...request, edited: true },
          fresh,
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

  /**
   * The actors to post, in order: for each, first claim it for this message (an edit or a
   * redelivery of the message claims nothing new), then the channel's cooldown. An actor in
   * cooldown gives its message claim back, so an edit after the cooldown may still post it.
   */
  private async claim(
    request: BotRequest,
    actors: DetectedActor[],
    limit = this.config.maxActors,
  ): Promise<DetectedActor[]> {
    const { config, store } = this;
    const cooldownMs = config.cooldownMinutes * 60_000;
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
