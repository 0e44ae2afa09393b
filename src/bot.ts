import type { LoadedCard } from './cards/model.js';
import type { Library } from './catalog/library.js';
import { actorsIn } from './detect/index.js';
import { log } from './log.js';
import { decodeAction, isExpiredQueryRef } from './reply/actions.js';
import { cardView, replyFor } from './reply/build.js';
import type { Reply } from './reply/model.js';
import type { SearchIndex } from './search/index.js';
import { MAX_QUERY_LENGTH, parseQuery } from './search/query.js';

/** What an adapter hands the core: a platform payload reduced to what the bot needs. */
export interface BotRequest {
  /** command: /apt; mention: @aptcard ...; message: any channel message; action: a button. */
  kind: 'command' | 'mention' | 'message' | 'action';
  /** The query, the message text (bot mention removed), or an encoded action. */
  text: string;
  platform: string;
  channel?: string;
  user?: string;
  /** The platform's id of the message, so an edit is known as the same message. */
  messageId?: string;
  edited?: boolean;
  /** Written by a bot (including this one): never enriched. */
  fromBot?: boolean;
}

/** Turns channel messages into enrichment replies; see src/detect/. */
export interface Enricher {
  enrich(request: BotRequest, index: SearchIndex): Reply | null;
  /** The cards a text names, each once, in order; mentions use it (default: src/detect). */
  actorsIn?(text: string, index: SearchIndex): readonly LoadedCard[];
}

export interface BotOptions {
  enricher?: Enricher;
}

/** Mentions longer than this are only scanned this far for an actor name. */
const MAX_MENTION_LENGTH = 4000;

/** Natural-language wrappers people put around a name when they mention the bot. */
const MENTION_FILLER_RE =
  /^(?:(?:hey|hi|hello|yo|please|pls)[,!\s]+)*(?:(?:who|what)(?:'s|\s+is|\s+are)|tell\s+me\s+about|look\s*up|lookup|search(?:\s+for)?|find|show(?:\s+me)?|info(?:\s+on)?|about)\s+/i;

export function queryFromMention(text: string): string {
  return text
    .trim()
    .replace(MENTION_FILLER_RE, '')
    .replace(/^(?:the\s+)?(?:(?:apt|threat)\s+)?(?:actor|group)\s+(?=\S)/i, '')
    .replace(/[?!.,;:\s]+$/, '')
    .trim();
}

/**
 * The one entry point adapters call. Platform-agnostic: it takes a BotRequest and returns a
 * neutral Reply, or null when there is nothing to say (an ordinary message with no actor).
 */
export class Bot {
  constructor(
    readonly library: Library,
    private readonly options: BotOptions = {},
  ) {}

  get cardCount(): number {
    return this.library.current.size;
  }

  handle(request: BotRequest): Reply | null {
    try {
      return this.dispatch(request);
    } catch (err) {
      log.error({ err, kind: request.kind, platform: request.platform }, 'handler failed');
      return { kind: 'error', message: 'Sorry, something went wrong answering that.' };
    }
  }

  /** Query the catalog directly (also used by the CLI). */
  query(text: string, page = 0): Reply {
    const query = text.trim().slice(0, MAX_QUERY_LENGTH);
    if (!query) return { kind: 'help', topic: 'empty' };
    if (/^(?:help|-h|--help|\?)$/i.test(query)) return { kind: 'help', topic: 'usage' };
    const index = this.library.current;
    const answer = index.search(query);
    if (answer.errors.length > 0 && answer.results.length === 0) {
      return { kind: 'error', message: answer.errors.join('\n') };
    }
    return replyFor(answer, index, page);
  }

  /** Names for autocomplete as the user types: up to `limit` choices. */
  complete(prefix: string, limit = 25): { label: string; value: string }[] {
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

  private dispatch(request: BotRequest): Reply | null {
    switch (request.kind) {
      case 'command':
        return this.query(request.text);
      case 'mention':
        return this.mention(request.text);
      case 'action':
        return this.action(request.text);
      case 'message':
        if (request.fromBot) return null;
        return this.options.enricher?.enrich(request, this.library.current) ?? null;
    }
  }

  /**
   * "@aptcard who is TEMP.Zhenbao?", "can you check whether APT 21 is behind this": when the
   * text names exactly one actor (found as enrichment finds them), that actor's card; else
   * the text without its wrapper words is a query (filters, several actors, no actor).
   */
  private mention(text: string): Reply {
    const index = this.library.current;
    const source = text.slice(0, MAX_MENTION_LENGTH);
    if (parseQuery(source).filters.length === 0) {
      const enricher = this.options.enricher;
      const actors = enricher?.actorsIn
        ? enricher.actorsIn(source, index)
        : actorsIn(source, index);
      const [only] = actors;
      if (only && actors.length === 1) return { kind: 'card', card: cardView(only, index.catalog) };
    }
    return this.query(queryFromMention(text));
  }

  private action(encoded: string): Reply {
    const action = decodeAction(encoded);
    if (!action && isExpiredQueryRef(encoded))
      return { kind: 'error', message: 'That list has expired: run the query again.' };
    if (!action) return { kind: 'error', message: 'That button is no longer valid.' };
    const index = this.library.current;
    switch (action.type) {
      case 'show':
      case 'ops': {
        const entry = index.catalog.profileOf(action.uuid);
        if (!entry) return { kind: 'error', message: 'That card is no longer in the catalog.' };
        const page = action.type === 'ops' ? action.page : 0;
        return { kind: 'card', card: cardView(entry, index.catalog, page) };
      }
      case 'list':
        return this.query(action.query, action.page);
    }
  }
}
