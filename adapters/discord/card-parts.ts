/**
 * The parts of a Discord card one action away from the first screen: a page of operations, every
 * technique by tactic, and the sources with every reference. Each opens with the card's title
 * and shows only what it is about; what does not fit says how much is left. Pure.
 */

import type { CardView } from '../../src/core/types.js';
import { OPERATIONS_PER_PAGE } from '../../src/reply/build.js';
import { moreText } from '../../src/reply/first-screen.js';
import { packLines } from '../shared/pack.js';
import { truncate } from '../shared/truncate.js';
import {
  cardTitle,
  footerText,
  mainSourceUrl,
  operationName,
  operationValue,
  sourcesLine,
} from './card-pieces.js';
import { countryColour } from './colours.js';
import type { DraftEmbed, DraftField } from './fit.js';
import { flex } from './fit.js';
import { LIMITS } from './limits.js';
import { escapeText, sourceLink } from './text.js';

function base(card: CardView): Pick<DraftEmbed, 'title' | 'url' | 'color' | 'footer'> {
  const url = mainSourceUrl(card);
  return {
    title: cardTitle(card),
    ...(url ? { url } : {}),
    color: countryColour(card.countries),
    footer: footerText(card),
  };
}

/**
 * Lines packed into field values of at most Discord's field value limit, at most `max` fields
 * named `name` (then "continued"); the lines left over are counted ("+12 more references").
 */
function packedFields(
  name: string,
  lines: readonly string[],
  max: number,
  what: string,
): DraftField[] {
  const values = packLines(lines, { room: LIMITS.fieldValue - 40, max, what, cut: truncate });
  return values.map((value, i) => ({ name: i === 0 ? name : `${name} (continued)`, value }));
}

export function operationsEmbeds(card: CardView): DraftEmbed[] {
  if (card.operations.length === 0) {
    return [{ ...base(card), description: 'No operations on this card.' }];
  }
  const from = card.operationsPage * OPERATIONS_PER_PAGE + 1;
  const to = from + card.operations.length - 1;
  const page =
    card.operationsPageCount > 1
      ? ` (page ${card.operationsPage + 1} of ${card.operationsPageCount})`
      : '';
  return [
    {
      ...base(card),
      description: `Operations ${from}–${to} of ${card.operationsTotal}, newest first${page}`,
      fields: card.operations.map((op) => ({ name: operationName(op), value: operationValue(op) })),
    },
  ];
}

export function techniquesEmbeds(card: CardView): DraftEmbed[] {
  const view = card.techniques;
  const head =
    view.total > 0
      ? `ATT&CK techniques: ${view.total}${view.attackUrl ? ` · ${sourceLink(view.attackUrl)}` : ''}`
      : 'No ATT&CK techniques on this card.';
  // One field per tactic while they fit (Discord takes 25); the rest are counted.
  const room = LIMITS.fields - 2;
  const fields: DraftField[] = view.tactics.slice(0, room).map((group) => ({
    name: `${escapeText(group.tactic)} (${group.techniques.length})`,
    value: flex(
      group.techniques
        .map((t) => `• ${escapeText(t.id ? `${t.id} ${t.name}` : t.name)}`)
        .join('\n'),
    ),
  }));
  const left = view.tactics.slice(room).reduce((n, g) => n + g.techniques.length, 0);
  if (left > 0) fields.push({ name: 'More', value: moreText(left, 'techniques') });
  if (card.software.length) {
    const names = card.software.map((sw) => escapeText(sw.id ? `${sw.id} ${sw.name}` : sw.name));
    fields.push({ name: `Software (${card.software.length})`, value: flex(names.join(', ')) });
  }
  return [{ ...base(card), description: head, fields }];
}

export function sourcesEmbeds(card: CardView): DraftEmbed[] {
  const refs = card.references.map(
    (r) => `• ${r.label ? `${escapeText(r.label)} ` : ''}(${sourceLink(r.url)})`,
  );
  const fields = refs.length
    ? packedFields(`References (${card.references.length})`, refs, 5, 'references')
    : [];
  const sources = sourcesLine(card);
  const description = sources || (refs.length ? '' : 'No sources or references on this card.');
  return [{ ...base(card), ...(description ? { description } : {}), fields }];
}
