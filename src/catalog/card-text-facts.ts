/**
 * What deriving a catalog reads of a card's large text: for grouping cards into actors
 * (actors.ts) the ATT&CK ids, related and revoking UUIDs and revocation in its extra sections
 * and how much it says (the richest card of an actor leads it); for the catalog's warnings
 * (catalog.ts) its cross-links. Worked out once per card object and kept on it: a card read
 * from the parsed-card cache reads that text from the cache file again (lazy-card.ts), and the
 * reload worker derives its catalog again, from every card, at each reload.
 */
import type { ActorCard } from '../cards/model.js';
import { findCrossLinks, linkableTexts } from './links.js';

export interface CardTextFacts {
  /** ATT&CK group ids its extra sections give (not its aliases'). */
  attackIds: readonly string[];
  /** UUIDs it calls similar. */
  similar: readonly string[];
  /** UUIDs it says replaced it. */
  revokedBy: readonly string[];
  revoked: boolean;
  /** The length of its description, 100 per operation. */
  size: number;
  /** Its cross-links, as written ("{{Title}}") and the title they name. */
  links: readonly { raw: string; target: string }[];
}

const ATTACK_URL_RE = /attack\.mitre\.org\/groups\/(G\d{4,})/gi;
const CITATION_SECTIONS = new Set(['references', 'cited sources']);
const EXTERNAL_ID_RE = /^- external_id: (G\d{4,})\s*$/gim;
const RELATED_RE =
  /^- (similar|revoked-by) ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/gim;
const REVOKED_RE = /^- (?:revoked|deprecated|x_mitre_deprecated): true\s*$/im;

/** A symbol key, not enumerable: JSON, spreads, clones and equality checks never see it. */
const FACTS = Symbol('card text facts');
const NONE: readonly never[] = Object.freeze([]);

function factsOf(card: ActorCard): CardTextFacts {
  const ids = new Set<string>();
  const similar: string[] = [];
  const revokedBy: string[] = [];
  let revoked = false;
  for (const section of card.extraSections) {
    // A group page among the references is a citation (descriptions link the groups they
    // mention, and importers list those links there), not the card's own id.
    if (!CITATION_SECTIONS.has(section.heading.toLowerCase())) {
      for (const m of section.body.matchAll(ATTACK_URL_RE)) ids.add((m[1] ?? '').toUpperCase());
    }
    for (const m of section.body.matchAll(EXTERNAL_ID_RE)) ids.add((m[1] ?? '').toUpperCase());
    for (const m of section.body.matchAll(RELATED_RE)) {
      const uuid = (m[2] ?? '').toLowerCase();
      if ((m[1] ?? '').toLowerCase() === 'similar') similar.push(uuid);
      else revokedBy.push(uuid);
    }
    if (REVOKED_RE.test(section.body)) revoked = true;
  }
  const ops = card.operations.length + card.counterOperations.length;
  const links = linkableTexts(card).flatMap((text) =>
    findCrossLinks(text).map(({ raw, target }) => ({ raw, target })),
  );
  return {
    attackIds: ids.size ? [...ids] : NONE,
    similar: similar.length ? similar : NONE,
    revokedBy: revokedBy.length ? revokedBy : NONE,
    revoked,
    size: card.description.join('').length + 100 * ops,
    links: links.length ? links : NONE,
  };
}

/** The card's text facts, worked out on the first call for this card object. */
export function cardTextFacts(card: ActorCard): CardTextFacts {
  const known = (card as { [FACTS]?: CardTextFacts })[FACTS];
  if (known) return known;
  const facts = factsOf(card);
  // A frozen card (none is today) is worked out each time instead.
  if (Object.isExtensible(card)) Object.defineProperty(card, FACTS, { value: facts });
  return facts;
}
