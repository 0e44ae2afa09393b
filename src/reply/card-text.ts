/**
 * A card as plain text, part by part (the console, `aptcard show`). Every part opens the same
 * way: the title, then the first screen's facts in its order (./first-screen.ts); the first
 * screen stops after its short lists, the full card goes on with everything, the other parts
 * show only what they are about. Pure: card in, string out.
 */
import { formatAlias } from '../cards/render.js';
import type { CardPart, CardView, OperationView, TextSegment } from '../core/types.js';
import { alsoNamedText } from './facts.js';
import { type FirstScreen, firstScreen, moreText } from './first-screen.js';

/** How many references the full card lists with their links; the rest are counted. */
export const REFERENCES_SHOWN = 3;

function paragraph(segments: readonly TextSegment[]): string {
  return segments.map((s) => s.text).join('');
}

function field(label: string, values: string | readonly string[]): string | undefined {
  const text = typeof values === 'string' ? values : values.join(', ');
  return text.trim() ? `${label}: ${text}` : undefined;
}

/** "a, b, c, +4 more tools" (or just the list when nothing is left out). */
function listWithMore(items: readonly string[], more: number, what: string): string {
  return [...items, moreText(more, what)].filter(Boolean).join(', ');
}

function operation(op: OperationView): string {
  const head = op.date ? `${op.date}  ${op.title}` : op.title;
  // Every line of the text under the item, so a line of its own never looks like another one.
  const text = op.text ? op.text.split('\n').filter((l) => l.trim()) : [];
  return [head, ...text, ...op.sources.map((s) => `  ${s}`)]
    .map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`))
    .join('\n');
}

/** An operation on the first screen: date and title, and its first link. */
function latestOperation(op: OperationView): string {
  const head = op.date ? `${op.date}  ${op.title}` : op.title;
  const [link] = op.sources;
  return link ? `- ${head}\n  ${link}` : `- ${head}`;
}

function title(card: CardView): string[] {
  const text = [card.name, ...card.otherNames].join(', ');
  return [text, '='.repeat(Math.min(text.length, 72))];
}

/** Title, sources, aliases and the facts, in the first screen's order. */
function head(card: CardView, screen: FirstScreen, allAliases: boolean): string {
  const aliases = allAliases
    ? card.aliases.map(formatAlias).join(', ')
    : listWithMore(screen.aliases.items.map(formatAlias), screen.aliases.more, 'aliases');
  // A name that other actors carry too was answered with this one: say so, never pick silently.
  const also = card.alsoNamed?.length
    ? `That name is also used for: ${card.alsoNamed.map(alsoNamedText).join(', ')}`
    : undefined;
  return [
    ...title(card),
    also,
    field('Sources', screen.sources),
    field('Aliases', aliases),
    ...screen.facts.map((f) => field(f.label, f.value)),
  ]
    .filter((l) => l !== undefined)
    .join('\n');
}

function topTechniques(screen: FirstScreen, attackUrl: string): string | undefined {
  const t = screen.techniques;
  if (!t) return undefined;
  const page = attackUrl ? ` · ${attackUrl}` : '';
  return [
    `ATT&CK techniques: ${t.total}${page}`,
    ...t.lines.map(
      (l) => `  ${l.tactic}: ${l.items.join(', ')}${l.more > 0 ? ` (+${l.more})` : ''}`,
    ),
    ...(t.more > 0 ? [`  ${moreText(t.more, 'techniques')}`] : []),
  ].join('\n');
}

function firstScreenText(card: CardView): string {
  const screen = firstScreen(card);
  const out = [head(card, screen, false)];
  const ops = screen.operations;
  if (ops.items.length > 0) {
    out.push(
      [
        `Latest operations (${ops.items.length} of ${card.operationsTotal}):`,
        ...ops.items.map(latestOperation),
        ...(ops.more > 0 ? [moreText(ops.more, 'operations')] : []),
      ].join('\n'),
    );
  }
  const tools = field('Tools', listWithMore(screen.tools.items, screen.tools.more, 'tools'));
  const techniques = topTechniques(screen, card.techniques.attackUrl);
  const rest = [tools, techniques].filter((l) => l !== undefined);
  if (rest.length) out.push(rest.join('\n'));
  return out.join('\n\n');
}

function operationsPageText(card: CardView): string {
  if (card.operationsTotal === 0) return 'No operations on this card.';
  const page =
    card.operationsPageCount > 1
      ? ` (page ${card.operationsPage + 1} of ${card.operationsPageCount})`
      : '';
  return `Operations, newest first: ${card.operationsTotal}${page}\n${card.operations.map(operation).join('\n')}`;
}

function sourceLinks(card: CardView): string | undefined {
  if (!card.sources?.length) return undefined;
  return `Source pages:\n${card.sources.map((s) => `  - ${s.label}${s.url ? ` ${s.url}` : ''}`).join('\n')}`;
}

function references(card: CardView, max: number): string | undefined {
  if (card.references.length === 0) return undefined;
  const shown = card.references.slice(0, max);
  const more = card.references.length - shown.length;
  return [
    `References: ${card.references.length}`,
    ...shown.map((r) => `  - ${r.label ? `${r.label}: ` : ''}${r.url}`),
    ...(more > 0 ? [`  ${moreText(more, 'references')}`] : []),
  ].join('\n');
}

function software(card: CardView): string | undefined {
  return field(
    'Software',
    card.software.map((s) => (s.id ? `${s.id} ${s.name}` : s.name)),
  );
}

function fullCardText(card: CardView): string {
  const screen = firstScreen(card);
  const lists = [field('Sectors', card.sectors), field('Targets', card.targets)].filter(Boolean);
  const out = [[head(card, screen, true), ...lists].join('\n')];
  if (card.description.length) out.push(card.description.map(paragraph).join('\n\n'));
  for (const other of card.otherDescriptions ?? []) {
    out.push(`${other.label} says:\n${other.paragraphs.map(paragraph).join('\n\n')}`);
  }
  if (card.operationsTotal > 0) out.push(operationsPageText(card));
  const kit = [
    field(`Tools (${card.tools.length})`, card.tools),
    software(card),
    topTechniques(screen, card.techniques.attackUrl),
  ].filter((l) => l !== undefined);
  if (kit.length) out.push(kit.join('\n'));
  if (card.counterOperations.length) {
    out.push(`Counter operations:\n${card.counterOperations.map(operation).join('\n')}`);
  }
  if (card.related.length) {
    out.push(
      `Related: ${card.related.map((r) => (r.subgroup ? `${r.name} (subgroup)` : r.name)).join(', ')}`,
    );
  }
  const links = sourceLinks(card);
  if (links) out.push(links);
  const refs = references(card, REFERENCES_SHOWN);
  if (refs) out.push(refs);
  out.push(
    `UUID ${card.uuid}${card.lastModified ? ` · source last modified ${card.lastModified}` : ''}`,
  );
  return out.join('\n\n');
}

function techniquesText(card: CardView): string {
  const view = card.techniques;
  const out = [title(card).join('\n')];
  if (view.total > 0) {
    const page = view.attackUrl ? ` · ${view.attackUrl}` : '';
    out.push(
      [
        `ATT&CK techniques: ${view.total}${page}`,
        ...view.tactics.flatMap((group) => [
          `${group.tactic} (${group.techniques.length}):`,
          ...group.techniques.map((t) => `  - ${t.id ? `${t.id} ${t.name}` : t.name}`),
        ]),
      ].join('\n'),
    );
  } else {
    out.push('No ATT&CK techniques on this card.');
  }
  const sw = software(card);
  if (sw) out.push(sw);
  return out.join('\n\n');
}

function sourcesText(card: CardView): string {
  const out = [title(card).join('\n')];
  const links = sourceLinks(card);
  if (links) out.push(links);
  const refs = references(card, Number.POSITIVE_INFINITY);
  if (refs) out.push(refs);
  if (!links && !refs) out.push('No sources or references on this card.');
  return out.join('\n\n');
}

/** One part of a card as plain text (default: the first screen). */
export function renderCardText(card: CardView, part: CardPart = 'first'): string {
  switch (part) {
    case 'first':
      return firstScreenText(card);
    case 'full':
      return fullCardText(card);
    case 'operations':
      return `${title(card).join('\n')}\n\n${operationsPageText(card)}`;
    case 'techniques':
      return techniquesText(card);
    case 'sources':
      return sourcesText(card);
  }
}
