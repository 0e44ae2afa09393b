/**
 * The parts of a Slack card one action away from the first screen: a page of operations, every
 * technique by tactic, and the sources with every reference. Each opens with the card's header
 * and shows only what it is about; what does not fit says how much is left. Pure.
 */
import type { CardView, ReferenceView } from '../../src/core/types.js';
import type { NextAction } from '../../src/reply/next.js';
import { packLines } from '../shared/pack.js';
import { type Buttons, esc, type KnownBlock, section } from './blocks.js';
import { footer, header, movesRow, operationText, shareRow, sourceLinkRow } from './card-pieces.js';
import { BUDGET, LIMITS } from './limits.js';
import { fitText, namedLink, safeLink, truncateEscaped } from './text.js';

/**
 * Lines packed into sections of at most Block Kit's section text, at most `max` sections; the
 * lines left over are counted in a last line ("+12 more references").
 */
function packed(lines: readonly string[], max: number, what: string): KnownBlock[] {
  const texts = packLines(lines, {
    room: LIMITS.sectionText - 40,
    max,
    what,
    cut: truncateEscaped,
  });
  return texts.map((t) => section(t));
}

export function operationsBlocks(
  card: CardView,
  next: readonly NextAction[],
  share: string | undefined,
  buttons: Buttons,
): KnownBlock[] {
  const page =
    card.operationsPageCount > 1
      ? ` · page ${card.operationsPage + 1} of ${card.operationsPageCount}`
      : '';
  return [
    header(card),
    section(
      card.operationsTotal > 0
        ? `*Operations* (${card.operationsTotal}, newest first${page})`
        : 'No operations on this card.',
    ),
    ...card.operations.map((op) => section(operationText(op))),
    ...movesRow(next, buttons),
    ...shareRow(next, share, buttons),
    footer(card),
  ];
}

export function techniquesBlocks(
  card: CardView,
  next: readonly NextAction[],
  share: string | undefined,
  buttons: Buttons,
): KnownBlock[] {
  const view = card.techniques;
  const page = view.attackUrl ? safeLink(view.attackUrl) : undefined;
  const blocks: KnownBlock[] = [
    header(card),
    section(
      view.total > 0
        ? `*ATT&amp;CK techniques* (${view.total})${page ? ` · ${page}` : ''}`
        : 'No ATT&amp;CK techniques on this card.',
    ),
  ];
  const lines = view.tactics.flatMap((group) => [
    `*${esc(group.tactic)}* (${group.techniques.length})`,
    ...group.techniques.map((t) => `• ${fitText(t.id ? `${t.id} ${t.name}` : t.name, 300)}`),
  ]);
  blocks.push(...packed(lines, BUDGET.partSections, 'techniques'));
  if (card.software.length) {
    const names = card.software.map(
      (sw) => `• ${fitText(sw.id ? `${sw.id} ${sw.name}` : sw.name, 300)}`,
    );
    blocks.push(...packed([`*Software* (${card.software.length})`, ...names], 3, 'programs'));
  }
  return [...blocks, ...movesRow(next, buttons), ...shareRow(next, share, buttons), footer(card)];
}

function referenceLine(r: ReferenceView): string | undefined {
  const link = safeLink(r.url);
  if (!link) return undefined;
  return `• ${r.label ? `${fitText(r.label, BUDGET.opTitle)} (${link})` : link}`;
}

export function sourcesBlocks(
  card: CardView,
  next: readonly NextAction[],
  share: string | undefined,
  buttons: Buttons,
): KnownBlock[] {
  const blocks: KnownBlock[] = [header(card)];
  if (card.sources?.length) {
    const lines = card.sources.map(
      (s) => `• ${(s.url && namedLink(s.url, s.label)) || esc(s.label)}`,
    );
    blocks.push(section(`*Sources*\n${lines.join('\n')}`), ...sourceLinkRow(card, buttons));
  }
  const refs = card.references.map(referenceLine).filter((l): l is string => l !== undefined);
  if (refs.length) {
    blocks.push(
      ...packed(
        [`*References* (${card.references.length})`, ...refs],
        BUDGET.partSections,
        'references',
      ),
    );
  }
  if (blocks.length === 1) blocks.push(section('No sources or references on this card.'));
  return [...blocks, ...movesRow(next, buttons), ...shareRow(next, share, buttons), footer(card)];
}
