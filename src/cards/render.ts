import {
  type ActorCard,
  type Alias,
  type KnownSectionKey,
  type Operation,
  type PartId,
  SECTION_HEADINGS,
  SECTION_ORDER,
  type Software,
  type Technique,
} from './model.js';

/** The canonical file ends with its last part followed by this (ETDA cards do). */
export const CARD_TRAILER = '\n\n';

export function formatAlias(alias: Alias): string {
  return alias.vendor ? `${alias.name} (${alias.vendor})` : alias.name;
}

export function formatOperation(op: Operation): string {
  const lines = [op.title, ...(op.text ? [op.text] : []), ...op.sources];
  // ETDA writes ": text" for an operation with no date.
  return `${op.date}: ${lines.join('\n')}`;
}

/** "- T1566.001: Phishing: Spearphishing Attachment [initial-access]" */
export function formatTechnique(t: Technique): string {
  const tactics = t.tactics.length ? ` [${t.tactics.join(', ')}]` : '';
  return `- ${t.id ? `${t.id}: ` : ''}${t.name}${tactics}`;
}

/** "- S0002: Mimikatz" */
export function formatSoftware(s: Software): string {
  return `- ${s.id ? `${s.id}: ` : ''}${s.name}`;
}

export function renderHeader(card: ActorCard): string {
  return (
    `# Threat actor: ${card.names.join(', ')}\n\n` +
    `**UUID**: ${card.uuid}\n\n` +
    `**First seen**: ${card.firstSeen}\n\n` +
    `**Source last modified**: ${card.lastModified}\n\n`
  );
}

/** The body of a known section in the canonical layout, without surrounding blank lines. */
export function renderSectionBody(card: ActorCard, key: KnownSectionKey): string {
  switch (key) {
    case 'aliases':
      return card.aliases.map(formatAlias).join(', ');
    case 'description':
      return card.description.join('\n\n');
    case 'sponsorMotivation':
      // ETDA cards carry an extra blank line after the motivation line.
      return `**Sponsor**: ${card.sponsor}\n\n**Motivation**: ${card.motivations.join(', ')}\n`;
    case 'countries':
      return card.countries.join(', ');
    case 'sectors':
      return card.sectors.join(', ');
    case 'targets':
      return card.targets.join(', ');
    case 'tools':
      return card.tools.join(', ');
    case 'techniques':
      return card.techniques.map(formatTechnique).join('\n');
    case 'software':
      return card.software.map(formatSoftware).join('\n');
    case 'operations':
      return card.operations.map(formatOperation).join('\n\n');
    case 'counterOperations':
      return card.counterOperations.map(formatOperation).join('\n\n');
  }
}

/** One part of the document in the canonical layout (heading line included). */
export function renderPart(card: ActorCard, part: PartId): string {
  if (part === 'header') return renderHeader(card);
  if (part.startsWith('extra:')) {
    const extra = card.extraSections[Number(part.slice(6))];
    return extra ? `## ${extra.heading}\n\n${extra.body}\n\n` : '';
  }
  const key = part as KnownSectionKey;
  return `## ${SECTION_HEADINGS[key]}\n\n${renderSectionBody(card, key)}\n\n`;
}

/** Techniques and Software are not in the ETDA layout: a canonical card has them only when set. */
function inCanonicalLayout(card: ActorCard, key: KnownSectionKey): boolean {
  if (key === 'techniques') return card.techniques.length > 0;
  if (key === 'software') return card.software.length > 0;
  return true;
}

export function canonicalOrder(card: ActorCard): PartId[] {
  return [
    'header',
    ...SECTION_ORDER.filter((key) => inCanonicalLayout(card, key)),
    ...card.extraSections.map((_, i): PartId => `extra:${i}`),
  ];
}

/**
 * Render a card to markdown. A card parsed from a file renders back to that file's bytes;
 * a card built in code (importers) renders in the canonical ETDA layout.
 */
export function renderCard(card: ActorCard): string {
  const layout = card.layout;
  if (layout?.mixedEol !== undefined) return layout.mixedEol;
  const order = layout?.order ?? canonicalOrder(card);
  let out = '';
  order.forEach((part, i) => {
    const verbatim = layout?.verbatim[part];
    if (verbatim !== undefined) {
      out += verbatim;
    } else {
      out += renderPart(card, part);
      if (i === order.length - 1) out += CARD_TRAILER;
    }
  });
  if (layout?.crlf) out = out.replace(/\n/g, '\r\n');
  return layout?.bom ? `\uFEFF${out}` : out;
}
