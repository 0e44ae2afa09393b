/**
 * What a search answers, and the shaping of a hit: the types every reply renderer reads.
 */
import { displayName, type LoadedCard } from '../cards/model.js';
import type { Catalog } from '../catalog/catalog.js';
import type { SuggestionReason } from '../core/types.js';
import type { Identifier } from './identifiers.js';

export type Outcome = 'profile' | 'ambiguous' | 'list' | 'none';

export interface Hit {
  /** The shown (lead) card's UUID. */
  uuid: string;
  name: string;
  score: number;
  /** Every card merged into this actor, the shown one first. */
  uuids: string[];
  /** Each of those cards' source ("etda", "misp-galaxy:threat-actor", "local", ...), same order. */
  sources: string[];
}

/** A did-you-mean card, with the reason it is offered and the name that earned it. */
export interface Suggestion extends Hit {
  why: SuggestionReason;
  /** The card's name that is like the query ("Group 13" for "APT 13"), when not its title. */
  alias?: string;
}

export interface SearchAnswer {
  query: string;
  outcome: Outcome;
  /** profile: the card first; ambiguous: the candidates; list: every match, ranked. */
  results: Hit[];
  /** For a profile: the query is one of the card's names ('exact') or only like one ('closest'). */
  match?: 'exact' | 'closest';
  /** For a closest match: the card's name most like the query ("Hammer Panda" for "hamer panda"). */
  closestName?: string;
  /** For `none`: did-you-mean cards (never a profile: the user picks). */
  suggestions: Suggestion[];
  /** For `none`: the query was this identifier, and no card has it. */
  identifier?: Identifier;
  /** Why the outcome is ambiguous. */
  reason?: 'shared-alias' | 'close';
  /**
   * For a profile found by a name other actors carry too (most sources give it to this one):
   * those other actors, so the answer says so rather than picking silently.
   */
  alsoNamed?: Hit[];
  /** Problems in the query itself (a filter with no value, a bad date). */
  errors: string[];
}

/** The hit for an actor's profile: its lead card, with every card merged into it. */
export function hitOf(catalog: Catalog, entry: LoadedCard, score: number): Hit {
  const actor = catalog.actorOf(entry.card.uuid);
  return {
    uuid: entry.card.uuid,
    name: displayName(entry.card),
    score,
    uuids: actor ? actor.cards.map((c) => c.card.uuid) : [entry.card.uuid],
    sources: actor ? [...actor.sources] : [],
  };
}

/** The hit for a ranked UUID (a UUID no profile has is shown as itself). */
export function hitOfUuid(catalog: Catalog, uuid: string, score: number): Hit {
  const entry = catalog.profileOf(uuid);
  if (entry) return hitOf(catalog, entry, roundScore(score));
  return { uuid, name: uuid, score: roundScore(score), uuids: [uuid], sources: [] };
}

function roundScore(n: number): number {
  return Math.round(n * 1000) / 1000;
}
