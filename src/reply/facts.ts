/**
 * Facts of a merged profile worded once for every renderer: a field the sources disagree on
 * ("Country: Iran (ETDA, MISP galaxy); unknown (MITRE ATT&CK)") and the sources line.
 */
import type { CardView } from './model.js';

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
