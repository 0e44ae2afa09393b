/**
 * A name several actors carry, which the catalog settled on one of them (most sources call
 * that one so: `settledOwner`, src/catalog/owners.ts), names that one actor in a message as it
 * does in a search: "charming kitten" is Magic Hound's line, not also the line of the MISP
 * galaxy's own "Charming Kitten" entry, which the per-message limit could then keep instead.
 * A name nothing settled ("Iron Tiger") still names each actor that carries it.
 */
import type { Catalog } from '../catalog/catalog.js';
import { compactKey } from '../search/normalize.js';
import type { DetectedActor, Detection, Mention } from './detector.js';

/** The detection with each settled shared name naming only the actor it is settled on. */
export function settleSharedNames(detection: Detection, catalog: Catalog): Detection {
  const { mentions } = detection;
  // A shared name's mentions are next to each other (one per card that has it).
  const shared = (i: number) => {
    const a = mentions[i];
    const b = mentions[i + 1];
    return a !== undefined && b !== undefined && a.start === b.start && a.end === b.end;
  };
  let any = false;
  for (let i = 0; i + 1 < mentions.length && !any; i++) any = shared(i);
  if (!any) return detection;
  const kept: Mention[] = [];
  for (let i = 0; i < mentions.length; ) {
    let j = i + 1;
    while (j < mentions.length && shared(j - 1)) j++;
    const group = mentions.slice(i, j);
    const owner = group.length > 1 ? catalog.settledOwner(compactKey(group[0]!.alias)) : undefined;
    const uuid = owner?.profile.entry.card.uuid;
    const settled = uuid === undefined ? undefined : group.find((m) => m.uuid === uuid);
    kept.push(...(settled ? [settled] : group));
    i = j;
  }
  return { mentions: kept, actors: actorsOf(kept) };
}

/** Each card once, in order of first mention, with every alias form that named it. */
function actorsOf(mentions: readonly Mention[]): DetectedActor[] {
  const byUuid = new Map<string, DetectedActor>();
  for (const { entry, uuid, name, alias, start } of mentions) {
    const actor = byUuid.get(uuid);
    if (!actor) byUuid.set(uuid, { entry, uuid, name, aliases: [alias], start });
    else if (!actor.aliases.includes(alias)) actor.aliases.push(alias);
  }
  return [...byUuid.values()];
}
