/**
 * What every part of a Slack card is built from: the header, the sources line, operations with
 * their links, the row of moves the core offers (Full card, More operations, Techniques,
 * Sources, Map & timeline), link buttons to the sources' pages, Share, and the footer. Pure.
 */
import type { types } from '@slack/bolt';
import type { CardView, OperationView } from '../../src/core/types.js';
import {
  type NextAction,
  type PageAction,
  type PartAction,
  shareOf,
} from '../../src/reply/next.js';
import { actions, type Buttons, context, esc, type KnownBlock, plain } from './blocks.js';
import { BUDGET, LIMITS } from './limits.js';
import { fitText, joinFit, namedLink, safeLink } from './text.js';

/**
 * The "Share in channel" row, when the adapter gave a share value and the reply is an answer
 * the core offers to share (not a question back).
 */
export function shareRow(
  next: readonly NextAction[],
  share: string | undefined,
  buttons: Buttons,
): types.ActionsBlock[] {
  const offer = shareOf(next);
  if (!share || !offer || offer.question) return [];
  const row = actions([buttons.share(share)]);
  return row ? [row] : [];
}

export function header(card: CardView): KnownBlock {
  return {
    type: 'header',
    text: plain([card.name, ...card.otherNames].join(', '), LIMITS.headerText),
  };
}

/** "Sources: ETDA · MISP galaxy", linked to their pages; nothing for a lone local card. */
export function sourcesContext(card: CardView): KnownBlock[] {
  if (!card.sources?.length) return [];
  const links = card.sources.map((s) => (s.url && namedLink(s.url, s.label)) || esc(s.label));
  return [context(`Sources: ${links.join(' · ')}`)];
}

function sourcesLine(sources: readonly string[], max: number): string {
  const links = sources.map((s) => safeLink(s) ?? fitText(s, 80)).filter(Boolean);
  return joinFit(links.slice(0, BUDGET.opSources), ' · ', max);
}

export function operationHead(op: OperationView): string {
  return [op.date ? `*${esc(op.date)}*` : '', fitText(op.title, BUDGET.opTitle)]
    .filter(Boolean)
    .join('  ');
}

/** An operation in full: date and title, its text, its links (whole, then "+N more"). */
export function operationText(op: OperationView): string {
  const body = op.text ? fitText(op.text, BUDGET.opText) : '';
  const top = [operationHead(op), body].filter(Boolean).join('\n');
  const room = LIMITS.sectionText - top.length - 1;
  const links = op.sources.length && room > 20 ? sourcesLine(op.sources, room) : '';
  return [top, links].filter(Boolean).join('\n') || ' ';
}

const PART_LABELS: Record<PartAction['part'], string> = {
  full: 'Full card',
  techniques: 'Techniques',
  sources: 'Sources',
  pictures: 'Map & timeline',
};

function pageLabel(p: PageAction): string {
  return p.direction === 'back' ? 'Newer operations' : `More operations (${p.page + 1}/${p.pages})`;
}

/**
 * The moves the core offers from this part, in its order: Full card, the operations pages,
 * Techniques, Sources, Map & timeline.
 */
export function movesRow(next: readonly NextAction[], buttons: Buttons): KnownBlock[] {
  const moves = next.filter(
    (a): a is PartAction | PageAction =>
      (a.kind === 'part' || a.kind === 'page') && (a.kind === 'part' || a.of === 'operations'),
  );
  const row = actions(
    moves.map((m) =>
      buttons.action(m.kind === 'part' ? PART_LABELS[m.part] : pageLabel(m), m.action),
    ),
  );
  return row ? [row] : [];
}

/** Link buttons to the sources' pages (ETDA card, ATT&CK group, MISP galaxy entry). */
export function sourceLinkRow(card: CardView, buttons: Buttons): KnownBlock[] {
  const links = (card.sources ?? [])
    .slice(0, BUDGET.sourceLinks)
    .map((s) => (s.url ? buttons.link(s.label, s.url) : undefined));
  const row = actions(links);
  return row ? [row] : [];
}

export function footer(card: CardView): KnownBlock {
  const bits = [
    `UUID ${esc(card.uuid)}`,
    card.lastModified ? `source last modified ${esc(card.lastModified)}` : '',
  ].filter(Boolean);
  return context(bits.join(' · '));
}
