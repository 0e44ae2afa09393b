import type { BotRequest, Enricher } from '../bot.js';
import type { LoadedCard } from '../cards/model.js';
import type { Library } from '../catalog/library.js';
import type { EnrichmentConfig } from '../config.js';
import { log } from '../log.js';
import { compactActor } from '../reply/build.js';
import type { Reply } from '../reply/model.js';
import type { SearchIndex } from '../search/index.js';
import { type DetectedActor, Detector, type DetectorOptions } from './detector.js';
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
}

/** Remembered (message -> actors posted) entries; the oldest are forgotten first. */
const MAX_MESSAGES = 10_000;
/** Cooldown entries kept before expired ones are swept. */
const MAX_COOLDOWNS = 10_000;

/**
 * Automatic enrichment: when a channel message names actors, answer with one compact line per
 * actor. Platform-agnostic; every adapter gets the same policy:
 *  - nothing for bots (this one included), for a disabled channel, or when switched off;
 *  - at most `maxActors` actors per message, in the order the message names them;
 *  - each actor at most once per `cooldownMinutes` per channel (per platform);
 *  - a message seen again (an edit, a redelivery: same messageId) only posts actors it has not
 *    posted for that message before.
 * The scanner is built once per catalog (cached by SearchIndex, so a reload gets a new one).
 */
export class AliasEnricher implements Enricher {
  private readonly detectors = new WeakMap<SearchIndex, Detector>();
  private readonly cooldowns = new Map<string, number>();
  private readonly posted = new Map<string, Set<string>>();
  private readonly disabled: Set<string>;
  private readonly now: () => number;
  private readonly detectorOptions: DetectorOptions;

  constructor(
    private readonly config: EnrichmentConfig,
    options: EnricherOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.disabled = new Set(config.disabledChannels.map(channelKey));
    this.detectorOptions = {
      allow: config.allow,
      deny: config.deny,
      ...(options.words ? { words: options.words } : {}),
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

  enrich(request: BotRequest, index: SearchIndex): Reply | null {
    const { config } = this;
    if (!config.enabled || request.kind !== 'message' || request.fromBot) return null;
    if (request.channel !== undefined && this.disabled.has(channelKey(request.channel)))
      return null;
    if (!request.text.trim()) return null;
    const { actors } = this.detectorFor(index).detect(request.text);
    if (actors.length === 0) return null;

    const now = this.now();
    const cooldownMs = config.cooldownMinutes * 60_000;
    const where = `${request.platform}\u0000${request.channel ?? ''}`;
    const messageKey = request.messageId ? `${where}\u0000${request.messageId}` : undefined;
    const already = messageKey ? this.posted.get(messageKey) : undefined;
    const chosen: DetectedActor[] = [];
    for (const actor of actors) {
      if (chosen.length >= config.maxActors) break;
      if (already?.has(actor.uuid)) continue;
      const last = this.cooldowns.get(`${where}\u0000${actor.uuid}`);
      if (cooldownMs > 0 && last !== undefined && now - last < cooldownMs) continue;
      chosen.push(actor);
    }
    if (chosen.length === 0) return null;

    for (const actor of chosen) this.cooldowns.set(`${where}\u0000${actor.uuid}`, now);
    if (this.cooldowns.size > MAX_COOLDOWNS) this.sweep(now, cooldownMs);
    if (messageKey) {
      const set = already ?? new Set<string>();
      for (const actor of chosen) set.add(actor.uuid);
      this.posted.delete(messageKey); // re-insert: most recent last
      this.posted.set(messageKey, set);
      while (this.posted.size > MAX_MESSAGES) {
        const oldest = this.posted.keys().next().value;
        if (oldest === undefined) break;
        this.posted.delete(oldest);
      }
    }
    return {
      kind: 'enrichment',
      actors: chosen.map((a) => compactActor(a.entry.card, a.entry, a.aliases)),
    };
  }

  /** Forget cooldowns that have run out. */
  private sweep(now: number, cooldownMs: number): void {
    for (const [key, at] of this.cooldowns) if (now - at >= cooldownMs) this.cooldowns.delete(key);
  }
}

/** Channels compare by id or name, case-insensitively, with or without '#'. */
function channelKey(channel: string): string {
  return channel.trim().replace(/^#/, '').toLowerCase();
}
