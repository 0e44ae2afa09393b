/**
 * Facts of a merged profile worded once for every renderer: a field the sources disagree on
 * ("Country: Iran (ETDA, MISP galaxy); unknown (MITRE ATT&CK)") and the sources line, and the
 * fact lines of actor references, enrichment lines and cards. They live in the core because the
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

/** An enrichment line's facts: country, top aliases with vendors, first seen. */
export function compactFacts(actor: CompactActor): string[] {
  return [
    actor.country,
    actor.topAliases.length ? `aka ${actor.topAliases.join(', ')}` : '',
    actor.firstSeen ? `first seen ${actor.firstSeen}` : '',
  ].filter(Boolean);
}

export interface CardFact {
  label: 'Country' | 'Sponsor' | 'Motivation' | 'First seen' | 'Sectors' | 'Targets' | 'Tools';
  value: string;
  /** A list of names (sectors, targets, tools) rather than a short fact: it may run long. */
  list: boolean;
}

/** A card's facts in the order every renderer shows them; empty ones left out. */
export function cardFacts(card: CardView): CardFact[] {
  const facts: CardFact[] = [
    { label: 'Country', value: factText(card, 'Country'), list: false },
    { label: 'Sponsor', value: factText(card, 'Sponsor'), list: false },
    { label: 'Motivation', value: card.motivations.join(', '), list: false },
    { label: 'First seen', value: card.firstSeen, list: false },
    { label: 'Sectors', value: card.sectors.join(', '), list: true },
    { label: 'Targets', value: card.targets.join(', '), list: true },
    { label: 'Tools', value: card.tools.join(', '), list: true },
  ];
  return facts.filter((f) => f.value.trim());
}
