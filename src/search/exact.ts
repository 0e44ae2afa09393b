/**
 * The exact alias table in front of the MiniSearch indexes: every title name, alias and card
 * UUID of an actor, compacted, to the actor's profile. A name several actors carry maps to all
 * of them; preferredOwner (src/catalog/actors.ts) may still settle it.
 */
import { allNames, type LoadedCard } from '../cards/model.js';
import { preferredOwner } from '../catalog/actors.js';
import type { Catalog } from '../catalog/catalog.js';
import { compactKey } from './normalize.js';

export class ExactNames {
  /** compactKey(name) -> actor profiles with that title name or alias (several when shared). */
  private readonly exact = new Map<string, LoadedCard[]>();

  /** Everything is by actor: one merged profile, found by the UUID of any card in it. */
  constructor(private readonly catalog: Catalog) {
    for (const actor of catalog.actors) {
      const entry = actor.profile.entry;
      for (const name of allNames(entry.card)) this.add(compactKey(name), entry);
      for (const member of [...actor.cards, ...actor.folded])
        this.add(compactKey(member.card.uuid), entry);
    }
  }

  private add(key: string, entry: LoadedCard): void {
    if (!key) return;
    const list = this.exact.get(key);
    if (!list) this.exact.set(key, [entry]);
    else if (!list.includes(entry)) list.push(entry);
  }

  /** Actor profiles whose title name, alias or card UUID is exactly this (after normalization). */
  lookup(name: string): LoadedCard[] {
    return this.exact.get(compactKey(name)) ?? [];
  }

  /** Of the profiles a shared name gives, the one most sources call so (see preferredOwner). */
  preferredOwner(name: string, exact: readonly LoadedCard[]): LoadedCard | undefined {
    const actors = exact.flatMap((e) => {
      const actor = this.catalog.actorOf(e.card.uuid);
      return actor ? [actor] : [];
    });
    return preferredOwner(compactKey(name), actors)?.profile.entry;
  }
}
