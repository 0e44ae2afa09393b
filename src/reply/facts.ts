/**
 * Facts of a merged profile worded once for every renderer: a field the sources disagree on
 * ("Sponsor: State-sponsored, GRU (ETDA); State-sponsored, Russia (MISP galaxy)") and the
 * sources line, and the fact lines of actor references and enrichment lines (a card's facts and
 * their order are the first screen's: ./first-screen.ts). They live in the core because the
 * plain-text renderer (src/reply/text.ts) needs them as much as Slack and Discord do.
 */
import type { ActorRef, CardView, CompactActor } from '../core/types.js';

/** The field's text: the sources' values with who says each when they disagree. */
export function factText(card: CardView, field: 'Country' | 'Sponsor'): string {
  const differ = card.disagreements?.find((d) => d.field === field);
  if (differ) return differ.values.map((v) => `${v.value} (${v.sources.join(', ')})`).join('; ');
  return field === 'Country' ? card.countries.join(', ') : card.sponsor;
}

/** "ETDA, MISP galaxy, MITRE ATT&CK": the sources of a card, or '' for a lone local card. */
export function sourceLabels(card: CardView): string {
  return (card.sources ?? []).map((s) => s.label).join(', ');
}

/**
 * What tells actors apart in a list or a pick: "China", "aka APT 21, Hammer Panda",
 * "sources: ETDA, MISP galaxy" (empty ones left out). Plain text: each renderer escapes the
 * pieces and joins them its own way.
 */
export function refFacts(ref: ActorRef): string[] {
  return [
    ref.country,
    ref.aliases.length ? `aka ${ref.aliases.join(', ')}` : '',
    ref.sources?.length ? `sources: ${ref.sources.join(', ')}` : '',
  ].filter(Boolean);
}

/**
 * Another actor that carries the name a card was answered for, short enough for the card's head:
 * "Charming Kitten (Iran; MISP galaxy)", the country and the sources that tell the two apart.
 */
export function alsoNamedText(ref: ActorRef): string {
  const bits = [ref.country, ref.sources?.join(', ') ?? ''].filter(Boolean).join('; ');
  return bits ? `${ref.name} (${bits})` : ref.name;
}

/**
 * An enrichment line's facts: the names it was seen as when other than the actor's own ("seen
 * as LEAD": a word the card lists as an alias reads as an attribution otherwise), country, top
 * aliases with vendors, first seen.
 */
export function compactFacts(actor: CompactActor): string[] {
  const own = key(actor.name);
  const seenAs = [...new Set(actor.matched)].filter((alias) => key(alias) !== own);
  return [
    seenAs.length ? `seen as ${seenAs.join(', ')}` : '',
    actor.country,
    actor.topAliases.length ? `aka ${actor.topAliases.join(', ')}` : '',
    actor.firstSeen ? `first seen ${actor.firstSeen}` : '',
  ].filter(Boolean);
}

/** Case and spacing aside: "APT 21" and "apt21" are one name. */
function key(name: string): string {
  return name.toLowerCase().replace(/[\s._-]+/g, '');
}
