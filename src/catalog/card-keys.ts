/**
 * A card's names, aliases and UUID as compact keys (compactKey), worked out once per card
 * object. The reload worker keeps its cards between reloads and derives the catalog again at
 * each one; normalizing some 50,000 names and 10,000 UUIDs again was about 50 ms of every
 * 10,000-card rebuild. Cards are not changed once made (card-text-facts.ts relies on it too).
 */
import { type ActorCard, allNames } from '../cards/model.js';
import { compactKey } from '../search/normalize.js';

interface CardKeys {
  /** allNames(card), compacted, in that order (empty keys kept: callers drop them). */
  names: readonly string[];
  /** card.aliases' names, compacted, in order. */
  aliases: readonly string[];
  uuid: string;
}

const memo = new WeakMap<ActorCard, CardKeys>();

export function cardKeys(card: ActorCard): CardKeys {
  let keys = memo.get(card);
  if (!keys) {
    keys = {
      names: allNames(card).map(compactKey),
      aliases: card.aliases.map((a) => compactKey(a.name)),
      uuid: compactKey(card.uuid),
    };
    memo.set(card, keys);
  }
  return keys;
}
