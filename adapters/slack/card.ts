/**
 * A card as Block Kit. Every part opens with the header and the first screen's facts in its
 * order (src/reply/first-screen.ts): sources, aliases, then the key facts as fields. The first
 * screen goes on with the latest operations, the key tools and the top techniques, then the
 * moves the core offers; the full card with everything, shortened to Block Kit's limits with
 * "+N more" where it must be. The other parts are in card-parts.ts.
 */

import type { CardPart, CardView, TextSegment } from '../../src/core/types.js';
import { alsoNamedText } from '../../src/reply/facts.js';
import { type FirstScreen, firstScreen, moreText } from '../../src/reply/first-screen.js';
import { type NextAction, openActions } from '../../src/reply/next.js';
import { REFERENCES_SHOWN } from '../../src/reply/text.js';
import { actions, type Buttons, context, esc, type KnownBlock, mrkdwn, section } from './blocks.js';
import { operationsBlocks, sourcesBlocks, techniquesBlocks } from './card-parts.js';
import {
  footer,
  header,
  movesRow,
  operationHead,
  operationText,
  shareRow,
  sourceLinkRow,
  sourcesContext,
} from './card-pieces.js';
import { BUDGET, LIMITS } from './limits.js';
import { fitText, joinFit, safeLink, truncateEscaped } from './text.js';

export { shareRow } from './card-pieces.js';

/** Bold a cross-linked name unless its text would break the bold markers. */
function strong(text: string): string {
  const e = esc(text);
  return /[*\n]/.test(text) || !text.trim() ? e : `*${e}*`;
}

function paragraph(segments: readonly TextSegment[]): string {
  return segments.map((s) => (s.kind === 'link' ? strong(s.text) : esc(s.text))).join('');
}

/** Paragraphs packed into at most `max` sections, the last one shortened past the budget. */
function paragraphBlocks(
  paragraphs: readonly (readonly TextSegment[])[],
  max: number,
  lead = '',
): KnownBlock[] {
  const texts: string[] = [];
  let current = lead;
  for (const p of paragraphs.map(paragraph).filter((t) => t.trim())) {
    const joined = current ? `${current}\n\n${p}` : p;
    if (joined.length <= LIMITS.sectionText) {
      current = joined;
      continue;
    }
    if (current) texts.push(current);
    current = p;
  }
  if (current && current !== lead) texts.push(current);
  const kept = texts.slice(0, max);
  if (texts.length > kept.length && kept.length > 0) {
    const last = kept.length - 1;
    kept[last] = truncateEscaped(`${kept[last]} …`, LIMITS.sectionText);
  }
  return kept.map((t) => section(truncateEscaped(t, LIMITS.sectionText)));
}

function aliasText(a: { name: string; vendor: string }): string {
  return a.vendor ? `${esc(a.name)} (${esc(a.vendor)})` : esc(a.name);
}

/** Header, sources, aliases and the key facts as fields: how every full or first card opens. */
function opening(card: CardView, screen: FirstScreen, full: boolean): KnownBlock[] {
  const blocks: KnownBlock[] = [header(card), ...sourcesContext(card)];
  if (card.aliases.length) {
    const aliases = full
      ? joinFit(card.aliases.map(aliasText), ', ', BUDGET.aliases)
      : [...screen.aliases.items.map(aliasText), moreText(screen.aliases.more, 'aliases')]
          .filter(Boolean)
          .join(', ');
    blocks.push(section(`*Aliases* ${aliases}`));
  }
  // Each field's text escaped and shortened: a fact to its budget, a list to whole names and
  // "+N more".
  const facts = screen.facts.map((f) => ({
    label: f.label,
    text: fitText(f.value, full ? BUDGET.field : BUDGET.glance),
  }));
  if (full) {
    for (const [label, list] of [
      ['Sectors', card.sectors],
      ['Targets', card.targets],
    ] as const) {
      if (list.length) facts.push({ label, text: joinFit(list.map(esc), ', ', BUDGET.field) });
    }
  }
  const fields = facts
    .slice(0, LIMITS.fields)
    .map((f) => mrkdwn(`*${f.label}*\n${f.text}`, LIMITS.fieldText));
  if (fields.length) blocks.push({ type: 'section', fields });
  return blocks;
}

/** The latest operations, one line each: date, title, its first link. */
function latestBlock(card: CardView, screen: FirstScreen): KnownBlock[] {
  const ops = screen.operations;
  if (ops.items.length === 0) return [];
  const lines = ops.items.map((op) => {
    const link = op.sources.map((s) => safeLink(s)).find(Boolean);
    return `• ${operationHead(op)}${link ? ` · ${link}` : ''}`;
  });
  const head = `*Latest operations* (${ops.items.length} of ${card.operationsTotal})`;
  const more = moreText(ops.more, 'operations');
  return [
    section(joinFit([head, ...lines], '\n', LIMITS.sectionText - 40) + (more ? `\n${more}` : '')),
  ];
}

function toolsBlock(tools: readonly string[], more: number, all: boolean): KnownBlock[] {
  if (tools.length === 0) return [];
  const names = tools.map(esc);
  const text = all
    ? joinFit(names, ', ', BUDGET.field * 2)
    : [...names, moreText(more, 'tools')].filter(Boolean).join(', ');
  return [section(`*Tools* ${all ? `(${tools.length}) ` : ''}${text}`)];
}

/** Techniques by tactic (top ones first, "+N more"), with the ATT&CK group page; software. */
function techniquesSummary(card: CardView, screen: FirstScreen, software: boolean): KnownBlock[] {
  const lines: string[] = [];
  const t = screen.techniques;
  if (t) {
    const page = card.techniques.attackUrl ? safeLink(card.techniques.attackUrl) : undefined;
    lines.push(`*ATT&amp;CK techniques* (${t.total})${page ? ` · ${page}` : ''}`);
    for (const l of t.lines) {
      const more = l.more > 0 ? ` (+${l.more})` : '';
      lines.push(`• *${esc(l.tactic)}*: ${fitText(l.items.join(', '), BUDGET.field)}${more}`);
    }
    if (t.more > 0) lines.push(moreText(t.more, 'techniques'));
  }
  if (software && card.software.length) {
    const names = card.software.map((sw) => esc(sw.id ? `${sw.name} (${sw.id})` : sw.name));
    lines.push(`*Software* (${card.software.length}): ${joinFit(names, ', ', BUDGET.field)}`);
  }
  return lines.length ? [section(lines.join('\n'))] : [];
}

function relatedBlocks(next: readonly NextAction[], buttons: Buttons): KnownBlock[] {
  const related = openActions(next, 'related');
  if (!related.length) return [];
  const shown = related.slice(0, BUDGET.related);
  const row = actions(
    shown.map((o) =>
      buttons.action(o.ref.subgroup ? `${o.ref.name} (subgroup)` : o.ref.name, o.action),
    ),
  );
  if (!row) return [];
  const more = related.length - shown.length;
  return [context(`Related actors${more > 0 ? ` (${more} more not shown)` : ''}:`), row];
}

function alsoNamedBlock(card: CardView): KnownBlock[] {
  if (!card.alsoNamed?.length) return [];
  return [
    context(
      `That name is also used for: ${card.alsoNamed.map((r) => esc(alsoNamedText(r))).join(', ')}`,
    ),
  ];
}

function firstScreenBlocks(
  card: CardView,
  next: readonly NextAction[],
  share: string | undefined,
  buttons: Buttons,
): KnownBlock[] {
  const screen = firstScreen(card);
  return [
    ...opening(card, screen, false),
    ...latestBlock(card, screen),
    ...toolsBlock(screen.tools.items, screen.tools.more, false),
    ...techniquesSummary(card, screen, false),
    ...movesRow(next, buttons),
    ...shareRow(next, share, buttons),
    ...relatedBlocks(next, buttons),
    ...alsoNamedBlock(card),
    footer(card),
  ];
}

function counterOperationsBlock(card: CardView): KnownBlock[] {
  if (!card.counterOperations.length) return [];
  const lines = card.counterOperations.slice(0, BUDGET.counterOperations).map((op) => {
    const link = op.sources.map((s) => safeLink(s)).find(Boolean);
    return `• ${operationHead(op)}${link ? ` ${link}` : ''}`;
  });
  const more = card.counterOperations.length - lines.length;
  return [
    section(
      joinFit(
        [`*Counter operations* (${card.counterOperations.length})`, ...lines],
        '\n',
        LIMITS.sectionText - 20,
      ) + (more > 0 ? `\n+${more} more` : ''),
    ),
  ];
}

/** The reference count and the first few, each labelled, its link showing the real host. */
function referencesBlock(card: CardView): KnownBlock[] {
  if (card.references.length === 0) return [];
  const links = card.references.slice(0, REFERENCES_SHOWN).flatMap((r) => {
    const link = safeLink(r.url);
    if (!link) return [];
    return [r.label ? `${fitText(r.label, BUDGET.opTitle)} (${link})` : link];
  });
  const more = card.references.length - links.length;
  return [
    context(
      joinFit(
        [`References (${card.references.length}):`, ...links],
        ' · ',
        LIMITS.contextText - 20,
      ) + (more > 0 ? ` · +${more} more` : ''),
    ),
  ];
}

function fullCardBlocks(
  card: CardView,
  next: readonly NextAction[],
  share: string | undefined,
  buttons: Buttons,
): KnownBlock[] {
  const screen = firstScreen(card);
  const others = (card.otherDescriptions ?? []).slice(0, BUDGET.otherDescriptions);
  const blocks: KnownBlock[] = [
    ...opening(card, screen, true),
    ...paragraphBlocks(card.description, BUDGET.descriptionSections),
    ...others.flatMap((o) => paragraphBlocks(o.paragraphs, 1, `*${esc(o.label)} says*`)),
  ];
  if (card.operationsTotal > 0) {
    const page = card.operationsPageCount > 1 ? ` · page 1 of ${card.operationsPageCount}` : '';
    blocks.push(
      { type: 'divider' },
      section(`*Operations* (${card.operationsTotal}, newest first${page})`),
      ...card.operations.map((op) => section(operationText(op))),
    );
  }
  blocks.push(
    ...toolsBlock(card.keyTools ?? card.tools, 0, true),
    ...techniquesSummary(card, screen, true),
    ...counterOperationsBlock(card),
    ...movesRow(next, buttons),
    ...sourceLinkRow(card, buttons),
    ...shareRow(next, share, buttons),
    ...relatedBlocks(next, buttons),
    ...alsoNamedBlock(card),
    ...referencesBlock(card),
    footer(card),
  );
  return blocks;
}

/** Every block of one part of a card; `share` is the Share button's value, if it gets one. */
export function cardBlocks(
  card: CardView,
  part: CardPart,
  next: readonly NextAction[],
  share: string | undefined,
  buttons: Buttons,
): KnownBlock[] {
  switch (part) {
    case 'first':
      return firstScreenBlocks(card, next, share, buttons);
    case 'full':
      return fullCardBlocks(card, next, share, buttons);
    case 'operations':
      return operationsBlocks(card, next, share, buttons);
    case 'techniques':
      return techniquesBlocks(card, next, share, buttons);
    case 'sources':
      return sourcesBlocks(card, next, share, buttons);
  }
}

/** The notification text of a card: its name, country and a few aliases. */
export function cardFallback(card: CardView): string {
  const bits = [
    card.countries.length ? card.countries.join(', ') : '',
    card.aliases.length
      ? `aka ${card.aliases
          .slice(0, 3)
          .map((a) => a.name)
          .join(', ')}`
      : '',
  ].filter(Boolean);
  return `${card.name}${bits.length ? ` (${bits.join('; ')})` : ''}`;
}
