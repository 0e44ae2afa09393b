import { displayName, type LoadedCard } from './cards/model.js';
import type { Library } from './catalog/library.js';
import { catalogStatus } from './catalog/status.js';
import type {
  AliasScanner,
  BotRequest,
  DirectRequest,
  Enricher,
  MuteResult,
  Reply,
} from './core/types.js';
import { log } from './log.js';
import type { ActorPictures } from './pictures/index.js';
import {
  decodeAction,
  isExpiredQueryRef,
  isMuteAction,
  QUERY_REF_TTL_MS,
  queryRefId,
  restoreQuery,
  setQueryRefSink,
} from './reply/actions.js';
import { cardView, compactActor, replyFor } from './reply/build.js';
import { MESSAGES } from './reply/messages.js';
import type { SearchAnswer, SearchIndex } from './search/index.js';
import { MAX_QUERY_LENGTH, parseQuery } from './search/query.js';
import { smallTalkOf } from './search/smalltalk.js';
import { settingsArguments, settingsCompletions } from './state/channel-settings.js';
import type { StateStore } from './state/store.js';

export interface BotOptions {
  enricher?: Enricher<SearchIndex>;
  /**
   * Finds the actor a mention names ("@aptcard who is TEMP.Zhenbao?"); without it a mention is
   * read as a query. `aptcard start` passes the enricher's scanner (src/detect/).
   */
  scanner?: AliasScanner<SearchIndex, LoadedCard>;
  /** Long-query button references are kept there too, so they outlive a restart. */
  store?: StateStore;
}

/** Mentions longer than this are only scanned this far for an actor name. */
const MAX_MENTION_LENGTH = 4000;
/** A mention naming more actors than this lists the first ones (a reply, not a report). */
const MAX_MENTIONED_ACTORS = 5;
/** Names a mention's reply says it did not look up, at most (detector.ts `declined`). */
const MAX_DECLINED = 3;

/**
 * No platform sends more than this (Slack's message limit is 40,000 characters, Discord's
 * 4,000): every request is cut here before any pattern runs, whatever the adapter did.
 */
export const MAX_INPUT_LENGTH = 40_000;

/** The request with its text cut at MAX_INPUT_LENGTH, before any pattern or scan sees it. */
function capped<T extends { text: string }>(request: T): T {
  return request.text.length > MAX_INPUT_LENGTH
    ? { ...request, text: request.text.slice(0, MAX_INPUT_LENGTH) }
    : request;
}

/** Natural-language wrappers people put around a name when they mention the bot. */
const MENTION_FILLER_RE =
  /^(?:(?:hey|hi|hello|yo|please|pls)[,!\s]+)*(?:(?:who|what)(?:'s|\s+is|\s+are)|tell\s+me\s+about|look\s*up|lookup|search(?:\s+for)?|find|show(?:\s+me)?|info(?:\s+on)?|about)\s+/i;

/**
 * Pings written before the question ("@everyone who is APT 21?", Slack's "<!here>", a user or
 * role mention): addressed to people, not part of what is asked. Each is bounded, so the
 * repetition cannot backtrack far.
 */
const LEADING_PINGS_RE =
  /^(?:(?:@(?:everyone|here|channel)\b|<(?:!|@&?|#)[A-Za-z0-9^|._-]{1,80}>)[,:]?\s*)+/i;

/** Punctuation and spaces a question ends with. */
const TRAILING_RE = /[?!.,;:\s]/;

/**
 * `text` without its trailing punctuation and spaces. A loop, because the pattern
 * /[?!.,;:\s]+$/ retries from every character of a long run and so takes quadratic time.
 */
function stripTrailing(text: string): string {
  let end = text.length;
  while (end > 0 && TRAILING_RE.test(text.charAt(end - 1))) end--;
  return text.slice(0, end);
}

export function queryFromMention(text: string): string {
  const head = text.slice(0, MAX_MENTION_LENGTH).trim();
  return stripTrailing(
    head
      .replace(LEADING_PINGS_RE, '')
      .replace(MENTION_FILLER_RE, '')
      // "the group Glass Viper", not "Group 72" or "actor 1": a number after it is a name.
      .replace(/^(?:the\s+)?(?:(?:apt|threat)\s+)?(?:actor|group)\s+(?=[^\s\d])/i, ''),
  ).trim();
}

/** Is the text worded as a question to the bot ("who is APT 21?", "@here tell me about ...")? */
export function isQuestion(text: string): boolean {
  return LEADING_PINGS_RE.test(text) || MENTION_FILLER_RE.test(text);
}

/**
 * The name a question typed as a query asks about: "/apt who is apt 99?" searches "apt 99".
 * Searched whole, the wrapper words went to the prose index, which found an actor whose text
 * holds them, a wrong answer to a name no card has. A card named by the whole text keeps it.
 */
function askedName(query: string, index: SearchIndex): string {
  // Only a question: a query's own punctuation is its syntax ("country:" asks for a value).
  if (!isQuestion(query)) return query;
  const inner = queryFromMention(query);
  if (!inner || inner === query || index.lookup(query).length > 0) return query;
  return inner;
}

/**
 * The one entry point adapters call. Platform-agnostic: it takes a BotRequest and returns a
 * neutral Reply, or null when there is nothing to say (an ordinary message with no actor).
 */
export class Bot {
  constructor(
    readonly library: Library,
    private readonly options: BotOptions = {},
  ) {
    const { store } = options;
    if (store) {
      setQueryRefSink((id, query) => {
        // Best effort: the button still works in this process if the write fails.
        store.set(`qref:${id}`, query, QUERY_REF_TTL_MS).catch(() => {});
      });
    }
  }

  /** The state store the bot was given (adapters use it for their own records), if any. */
  get store(): StateStore | undefined {
    return this.options.store;
  }

  get cardCount(): number {
    return this.library.current.size;
  }

  /**
   * What adapters call for every request: channel messages go to the enricher (which asks the
   * state store), a long-query button not known here is looked up in the store first.
   */
  async answer(request: BotRequest): Promise<Reply | null> {
    try {
      if (request.kind === 'message') {
        if (request.fromBot) return null;
        return (await this.options.enricher?.enrich(capped(request), this.library.current)) ?? null;
      }
      if (request.kind === 'command') {
        const args = settingsArguments(request.text);
        // Settings belong to a channel: where there is none (the console), say where they live
        // rather than look for an actor called "settings".
        if (args !== undefined && request.channel === undefined)
          return { kind: 'error', message: MESSAGES.settingsNeedChannel };
        if (args !== undefined) return await this.settings(capped(request), args);
      }
      if (request.kind === 'action') {
        if (isMuteAction(request.text)) return (await this.notThisActor(request, [])).notice;
        const action = decodeAction(request.text);
        if (action?.type === 'pictures') return await this.picturesReply(action.uuid);
        await this.recallQuery(request.text);
      }
      return this.handle(request as DirectRequest);
    } catch (err) {
      log.error({ err, kind: request.kind, platform: request.platform }, 'handler failed');
      return { kind: 'error', message: MESSAGES.failed };
    }
  }

  /**
   * A channel message was edited after the bot answered it with the actors `posted`: what the
   * answer should now say (see Enricher.revise); null to leave it alone.
   */
  async revise(request: BotRequest, posted: readonly string[]): Promise<Reply | null> {
    const { enricher } = this.options;
    if (!enricher?.revise || request.kind !== 'message' || request.fromBot) return null;
    try {
      return await enricher.revise(capped(request), this.library.current, posted);
    } catch (err) {
      log.error({ err, platform: request.platform }, 'revising an enrichment failed');
      return null;
    }
  }

  /**
   * "Not this actor" pressed on a message showing the actors `shown` (their uuids, in order):
   * the actor's name is muted in that channel for everyone (anyone may; who did is recorded),
   * and the lines the message keeps come back, for the adapter to update or delete it.
   */
  async notThisActor(request: BotRequest, shown: readonly string[]): Promise<MuteResult> {
    const action = decodeAction(request.text);
    const { enricher } = this.options;
    if (action?.type !== 'mute' || request.channel === undefined) {
      return { notice: { kind: 'error', message: MESSAGES.buttonInvalid }, lines: null };
    }
    if (!enricher?.notThisActor) {
      return { notice: { kind: 'error', message: MESSAGES.noEnrichment }, lines: null };
    }
    try {
      return await enricher.notThisActor(capped(request), action.uuid, shown, this.library.current);
    } catch (err) {
      log.error({ err, platform: request.platform }, 'muting an actor failed');
      return { notice: { kind: 'error', message: MESSAGES.failed }, lines: null };
    }
  }

  /** `/apt settings ...` in a channel: the enrichment policy's to answer (it owns the settings). */
  private async settings(request: BotRequest, args: string): Promise<Reply> {
    const { enricher } = this.options;
    if (!enricher?.settings) return { kind: 'error', message: MESSAGES.noEnrichment };
    return enricher.settings(request, args);
  }

  /** Answer a command, mention or button at once (no state store involved). */
  handle(request: DirectRequest): Reply | null {
    try {
      return this.dispatch(capped(request));
    } catch (err) {
      log.error({ err, kind: request.kind, platform: request.platform }, 'handler failed');
      return { kind: 'error', message: MESSAGES.failed };
    }
  }

  /** Query the catalog directly: what /apt, mentions and the CLI's `search` answer. */
  query(text: string, page = 0): Reply {
    return this.lookup(text, page).reply;
  }

  /**
   * `query`, with the search's own answer when the query was searched (not help, status or
   * small talk): the CLI's `search --json` prints it.
   */
  lookup(text: string, page = 0): { reply: Reply; answer?: SearchAnswer } {
    const query = text.trim().slice(0, MAX_QUERY_LENGTH);
    if (!query) return { reply: { kind: 'help', topic: 'empty' } };
    if (/^(?:help|-h|--help|\?)$/i.test(query)) return { reply: { kind: 'help', topic: 'usage' } };
    const index = this.library.current;
    if (/^status$/i.test(query)) {
      return { reply: { kind: 'status', status: catalogStatus(index.catalog) } };
    }
    // A card really named "OK" still answers; otherwise small talk is not a query.
    const mood = smallTalkOf(query);
    if (mood && index.lookup(query).length === 0) return { reply: { kind: 'smalltalk', mood } };
    return this.search(query, page);
  }

  /** The catalog search behind `query`, without its help, status and small-talk answers. */
  search(text: string, page = 0): { reply: Reply; answer: SearchAnswer } {
    const index = this.library.current;
    const answer = index.search(askedName(text.trim().slice(0, MAX_QUERY_LENGTH), index));
    // A query with a mistake is not answered by a wider one (the bad filter dropped).
    const reply: Reply =
      answer.errors.length > 0
        ? { kind: 'error', message: answer.errors.join('\n') }
        : replyFor(answer, index, page);
    return { reply, answer };
  }

  /**
   * The targets map and activity timeline of a card, as PNG; undefined when it is gone. Drawn
   * from the merged profile when the card belongs to one (every source's targets).
   */
  async pictures(uuid: string): Promise<ActorPictures | undefined> {
    const { catalog } = this.library.current;
    const entry = catalog.profileOf(uuid) ?? catalog.byUuid.get(uuid);
    if (!entry) return undefined;
    // Loaded on the first picture: the map libraries and resvg's native module cost a start
    // that never draws one (every `aptcard search`) some 50 ms.
    const { actorPictures, pictureSubject } = await import('./pictures/index.js');
    return actorPictures(pictureSubject(entry.card));
  }

  /** The Pictures button: the map and timeline of an actor, drawn (or from their cache). */
  private async picturesReply(uuid: string): Promise<Reply> {
    const entry = this.library.current.catalog.profileOf(uuid);
    const pictures = entry && (await this.pictures(uuid));
    if (!entry || !pictures) return { kind: 'error', message: MESSAGES.cardGone };
    const { map, timeline } = pictures;
    return {
      kind: 'pictures',
      actor: { uuid: entry.card.uuid, name: displayName(entry.card) },
      ...(map ? { map: { png: map.png, notOnMap: map.notOnMap } } : {}),
      ...(timeline ? { timeline: { png: timeline.png } } : {}),
    };
  }

  /**
   * Names for autocomplete as the user types: up to `limit` choices. "sett..." is offered the
   * settings command's forms, and "settings mute hamm" the names to mute.
   */
  complete(prefix: string, limit = 25): { label: string; value: string }[] {
    const forms = settingsCompletions(prefix).map((form) => ({ label: form.trim(), value: form }));
    const mute = /^\s*settings\s+(mute|unmute)\s+(\S.*)$/i.exec(prefix);
    if (mute?.[1] && mute[2]) {
      const verb = mute[1].toLowerCase();
      return this.library.current
        .complete(mute[2].slice(0, MAX_QUERY_LENGTH), limit)
        .map(({ card }) => {
          const value = `settings ${verb} ${displayName(card.card)}`;
          return { label: value, value };
        })
        .filter((c, i, all) => all.findIndex((o) => o.value === c.value) === i);
    }
    return [...forms, ...this.names(prefix, limit)].slice(0, limit);
  }

  private names(prefix: string, limit: number): { label: string; value: string }[] {
    return this.library.current
      .complete(prefix.slice(0, MAX_QUERY_LENGTH), limit)
      .map(({ name, card }) => {
        const actor = card.card.names[0] ?? name;
        // The value is sent back as the query: the name when it opens this actor, else the
        // card's UUID, so picking a shared alias opens the actor picked, not a disambiguation.
        const answer = this.library.current.search(name);
        const opens = answer.outcome === 'profile' && answer.results[0]?.uuid === card.card.uuid;
        return {
          label: name === actor ? name : `${name} (${actor})`,
          value: opens ? name : card.card.uuid,
        };
      });
  }

  /** A long-query button from before a restart (or from another replica): read its query back. */
  private async recallQuery(encoded: string): Promise<void> {
    const { store } = this.options;
    const id = queryRefId(encoded);
    if (!store || !id || !isExpiredQueryRef(encoded)) return;
    try {
      const query = await store.get(`qref:${id}`);
      if (query !== undefined) restoreQuery(id, query);
    } catch {
      // Store down: the button answers that it has expired, as it would have before.
    }
  }

  private dispatch(request: DirectRequest): Reply | null {
    switch (request.kind) {
      case 'command':
        return this.query(request.text);
      case 'mention':
        return this.mention(request.text);
      case 'action':
        return this.action(request.text);
    }
  }

  /**
   * "@aptcard who is TEMP.Zhenbao?", "can you check whether APT 21 is behind this": when the
   * text names exactly one actor (found as enrichment finds them), that actor's card; when it
   * names several ("is this APT29 or Turla?"), a line for each, as enrichment has them (the
   * whole sentence as a query would find none); else the text without its wrapper words is a
   * query (filters, no actor).
   */
  private mention(text: string): Reply {
    const reply = this.mentionReply(text);
    if (reply.kind !== 'card' && reply.kind !== 'enrichment') return reply;
    const source = text.slice(0, MAX_MENTION_LENGTH);
    const declined = this.options.scanner?.declinedIn?.(source, this.library.current) ?? [];
    // Only names of actors the reply does not show already.
    const shown = new Set(
      reply.kind === 'card' ? [reply.card.name] : reply.actors.map((a) => a.name),
    );
    const others = declined.filter((d) => d.names.some((n) => !shown.has(n)));
    return others.length > 0 ? { ...reply, declined: others.slice(0, MAX_DECLINED) } : reply;
  }

  private mentionReply(text: string): Reply {
    const index = this.library.current;
    const source = text.slice(0, MAX_MENTION_LENGTH);
    if (parseQuery(source).filters.length === 0) {
      const { scanner } = this.options;
      const actors = scanner?.actorsIn(source, index) ?? [];
      const [only] = actors;
      if (only && actors.length === 1) {
        // The query's card when it is this actor: it says what else carries the name asked
        // for ("who is charming kitten?"), as a search would.
        const asked = this.query(queryFromMention(text));
        if (asked.kind === 'card' && asked.card.uuid === only.card.uuid && !asked.closest)
          return asked;
        return { kind: 'card', card: cardView(only, index.catalog) };
      }
      // One name that two actors share is the query's to answer: it asks which one is meant.
      if (actors.length > 1 && !scanner?.oneSharedNameIn?.(source, index)) {
        const named = actors.slice(0, MAX_MENTIONED_ACTORS);
        const lines = named.map((e) => compactActor(e.card, e, []));
        return { kind: 'enrichment', actors: lines, asked: true };
      }
    }
    return this.query(queryFromMention(text));
  }

  private action(encoded: string): Reply {
    const action = decodeAction(encoded);
    if (!action && isExpiredQueryRef(encoded))
      return { kind: 'error', message: MESSAGES.listExpired };
    if (!action) return { kind: 'error', message: MESSAGES.buttonInvalid };
    const index = this.library.current;
    switch (action.type) {
      case 'show':
      case 'ops':
      case 'part': {
        const entry = index.catalog.profileOf(action.uuid);
        if (!entry) return { kind: 'error', message: MESSAGES.cardGone };
        if (action.type === 'show') return { kind: 'card', card: cardView(entry, index.catalog) };
        if (action.type === 'part') {
          return { kind: 'card', card: cardView(entry, index.catalog), part: action.part };
        }
        const card = cardView(entry, index.catalog, action.page);
        return { kind: 'card', card, part: 'operations' };
      }
      case 'pictures':
        // Only through `answer`: drawing loads the picture libraries on first use.
        return { kind: 'error', message: MESSAGES.buttonInvalid };
      case 'list':
        return this.query(action.query, action.page);
      case 'mute':
        // Only through `answer` or `notThisActor`: muting writes to the state store.
        return { kind: 'error', message: MESSAGES.buttonInvalid };
    }
  }
}
