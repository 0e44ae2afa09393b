/**
 * Names several actors answer to: which of them, if any, the sources agree the name belongs to.
 * The catalog works it out once per shared name (catalog.ts, settledOwner); the exact table
 * (src/search/exact.ts) answers with it.
 */
import { compactKey } from '../search/normalize.js';
import type { Actor } from './actors.js';
import { LOCAL_SOURCE } from './origins.js';

/**
 * Who stands behind a source: ATT&CK's STIX bundle and the MISP galaxy's MITRE cluster are
 * one voice (MITRE's), so that one word counted twice does not settle a shared name.
 */
function sourceFamily(source: string): string {
  return source === 'misp-galaxy:mitre-intrusion-set' || source.startsWith('stix')
    ? 'mitre'
    : source;
}

/**
 * Of several actors that answer to one name, the one most sources call so, if there is one: a
 * source counts for an actor when it gives the name to that actor only, or, giving it to
 * several, as the primary (first title) name of exactly one of them (the others merely list it
 * as a synonym). A source that gives the name to several actors and calls none of them so keeps
 * the name ambiguous (ETDA's "Grizzly Steppe" names APT28 and APT29). The winner needs two
 * sources (MITRE's two forms counting as one), more than any other actor, and one source at
 * least that gives the name to it alone: one source's word does not settle a shared name.
 */
export function preferredOwner<A extends Actor>(key: string, owners: readonly A[]): A | undefined {
  const claims = new Map<string, { actor: A; primary: boolean }[]>();
  for (const actor of owners) {
    actor.cards.forEach((entry, i) => {
      const { card } = entry;
      const primary = card.names[0] !== undefined && compactKey(card.names[0]) === key;
      const named =
        primary ||
        card.names.some((n) => compactKey(n) === key) ||
        card.aliases.some((a) => compactKey(a.name) === key);
      if (!named) return;
      const source = sourceFamily(actor.sources[i] ?? LOCAL_SOURCE);
      const list = claims.get(source) ?? [];
      const known = list.find((c) => c.actor === actor);
      if (!known) list.push({ actor, primary });
      else known.primary ||= primary;
      claims.set(source, list);
    });
  }
  const votes = new Map<A, number>();
  /** Actors some source gives the name to alone. */
  const sole = new Set<A>();
  for (const list of claims.values()) {
    let winner: A | undefined;
    if (list.length === 1) {
      winner = list[0]?.actor;
      if (winner) sole.add(winner);
    } else {
      const primaries = list.filter((c) => c.primary);
      if (primaries.length !== 1) return undefined; // this source says the name is ambiguous
      winner = primaries[0]?.actor;
    }
    if (winner) votes.set(winner, (votes.get(winner) ?? 0) + 1);
  }
  const [first, second] = [...votes].sort((p, q) => q[1] - p[1]);
  if (!first || first[1] < 2 || (second && second[1] >= first[1])) return undefined;
  // Every source that calls it so also lists the name for another actor: the name is used for
  // both (ETDA and the MISP galaxy call Resecurity's Iranian actor "Iridium" and list IRIDIUM,
  // Microsoft's name, under Sandworm).
  if (!sole.has(first[0])) return undefined;
  return first[0];
}
