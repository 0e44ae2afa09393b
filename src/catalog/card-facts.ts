/**
 * What a card says about its identity, as the grouping into actors (actors.ts) and hot
 * reload's regrouping (regroup.ts) weigh it: its source, ids, names and links to other cards.
 */
import { dirname } from 'node:path';
import { allNames, type LoadedCard } from '../cards/model.js';
import { compactKey } from '../search/normalize.js';
import { cardTextFacts } from './card-text-facts.js';
import { LOCAL_SOURCE } from './origins.js';

export function sourceOf(entry: LoadedCard): string {
  return entry.source.origin ?? LOCAL_SOURCE;
}

const ATTACK_ID_RE = /^G\d{4,}$/;

/** What a card says about its identity. */
export interface CardFacts {
  entry: LoadedCard;
  source: string;
  folder: string;
  uuid: string;
  attackIds: string[];
  /** UUIDs the card calls similar. */
  similar: string[];
  /** UUIDs the card says replaced it. */
  revokedBy: string[];
  revoked: boolean;
  /** compactKey of every name but ATT&CK ids. */
  keys: string[];
  /** compactKey of the title names. */
  titles: Set<string>;
  /** compactKey of the first title name: what the source calls the actor. */
  primary: string;
  /** How much the card says: the richest card of an actor leads it. */
  richness: number;
}

export function cardFacts(entry: LoadedCard, withNames = true): CardFacts {
  const { card } = entry;
  const ids = new Set(entry.source.attackIds ?? []);
  for (const a of card.aliases) if (ATTACK_ID_RE.test(a.name)) ids.add(a.name);
  const text = cardTextFacts(card);
  for (const id of text.attackIds) ids.add(id);
  const keys = withNames
    ? [
        ...new Set(
          allNames(card)
            .filter((n) => !ATTACK_ID_RE.test(n))
            .map(compactKey),
        ),
      ].filter(Boolean)
    : [];
  return {
    entry,
    source: sourceOf(entry),
    folder: dirname(entry.source.file),
    uuid: card.uuid,
    attackIds: [...ids].sort(),
    similar: [...text.similar],
    revokedBy: [...text.revokedBy],
    revoked: text.revoked,
    keys,
    titles: new Set(withNames ? card.names.map(compactKey) : []),
    primary: withNames && card.names[0] !== undefined ? compactKey(card.names[0]) : '',
    richness: text.size + 10 * card.aliases.length,
  };
}
