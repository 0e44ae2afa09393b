/**
 * What every part of a Discord card is built from: the title linked to the main source, the
 * sources line, operations with their links, the buttons for the moves the core offers (Full
 * card, More operations, Techniques, Sources, Map & timeline) and Share, link buttons to the
 * sources' pages, related actors, and the footer. Pure.
 */
import { type APIButtonComponentWithURL, ButtonStyle, ComponentType } from 'discord-api-types/v10';
import type { CardView, OperationView, TextSegment } from '../../src/core/types.js';
import { encodeAction } from '../../src/reply/actions.js';
import {
  type NextAction,
  openActions,
  type PageAction,
  type PartAction,
} from '../../src/reply/next.js';
import { webLink } from '../shared/links.js';
import { truncate } from '../shared/truncate.js';
import {
  type ActionRow,
  actorPicker,
  type Button,
  buttonRows,
  shareButtons,
} from './components.js';
import type { Flex } from './fit.js';
import { LIMITS } from './limits.js';
import { balanceBold, escapeText, namedLink, plain, sourceLink } from './text.js';

export function paragraph(segments: readonly TextSegment[]): string {
  return segments
    .map((s) => (s.kind === 'link' ? `**${escapeText(s.text)}**` : escapeText(s.text)))
    .join('');
}

export function cardTitle(card: CardView): string {
  return escapeText([card.name, ...card.otherNames].join(', '));
}

/** The first source's page, for the title's link; undefined for a lone local card. */
export function mainSourceUrl(card: CardView): string | undefined {
  for (const s of card.sources ?? []) {
    const link = s.url ? webLink(s.url) : undefined;
    if (link) return link.url.href;
  }
  return undefined;
}

/** "Sources: [ETDA](…) · [MISP galaxy](…)" (source names are ours, not card text). */
export function sourcesLine(card: CardView): string {
  if (!card.sources?.length) return '';
  const links = card.sources.map((s) => (s.url ? namedLink(s.url, s.label) : escapeText(s.label)));
  return `Sources: ${links.join(' · ')}`;
}

export function footerText(card: CardView): string {
  return [card.lastModified ? `Source last modified ${card.lastModified}` : '', `UUID ${card.uuid}`]
    .filter(Boolean)
    .join(' · ');
}

/** An operation's field value: its text, then its source links (kept whole, at least one). */
export function operationValue(op: OperationView): Flex {
  const text = escapeText(op.text.trim());
  const links = op.sources.map(sourceLink);
  const all = [text, links.join(' · ')].filter(Boolean).join('\n');
  return {
    length: all.length,
    weight: 1,
    render(max) {
      if (all.length <= max) return all;
      const kept: string[] = [];
      let used = 0;
      for (const l of links) {
        const add = l.length + (kept.length ? 3 : 0);
        if (used + add > Math.floor(max / 2) && kept.length) break;
        if (used + add > max) break;
        kept.push(l);
        used += add;
      }
      const linkText = kept.join(' · ');
      const room = max - linkText.length - (linkText ? 1 : 0);
      const body = text ? balanceBold(truncate(text, room)) : '';
      return [body, linkText].filter(Boolean).join('\n');
    },
  };
}

export function operationName(op: OperationView): string {
  const title = escapeText(op.title.trim()) || 'Operation';
  return truncate(op.date ? `${escapeText(op.date)} · ${title}` : title, 200);
}

const PART_LABELS: Record<PartAction['part'], string> = {
  full: 'Full card',
  techniques: 'Techniques',
  sources: 'Sources',
  pictures: 'Map & timeline',
};

function pageLabel(p: PageAction): string {
  return p.direction === 'back'
    ? '◀ Newer operations'
    : `More operations (${p.page + 1}/${p.pages})`;
}

/** Link buttons to the sources' pages (ETDA card, ATT&CK group, MISP galaxy entry). */
export function sourceLinkRow(card: CardView): ActionRow[] {
  const buttons: APIButtonComponentWithURL[] = [];
  for (const s of card.sources ?? []) {
    const link = s.url ? webLink(s.url) : undefined;
    if (!link || link.url.href.length > LIMITS.buttonUrl) continue;
    buttons.push({
      type: ComponentType.Button,
      style: ButtonStyle.Link,
      label: plain(s.label, LIMITS.buttonLabel),
      url: link.url.href,
    });
    if (buttons.length === LIMITS.buttonsPerRow) break;
  }
  return buttons.length ? [{ type: ComponentType.ActionRow, components: buttons }] : [];
}

/**
 * The moves the core offers (in its order) and Share, then the source links when asked, then
 * the related actors in the rows left.
 */
export function cardComponents(
  actions: readonly NextAction[],
  share: boolean | undefined,
  links: ActionRow[] = [],
): ActionRow[] {
  const moves: Button[] = actions
    .filter(
      (a): a is PartAction | PageAction =>
        a.kind === 'part' || (a.kind === 'page' && a.of === 'operations'),
    )
    .map((m) => ({
      label: m.kind === 'part' ? PART_LABELS[m.part] : pageLabel(m),
      action: encodeAction(m.action),
    }));
  const seen = new Set<string>();
  const rows = [...buttonRows([...moves, ...shareButtons(actions, share)], 2, seen), ...links];
  const room = LIMITS.rows - rows.length;
  if (room <= 0) return rows.slice(0, LIMITS.rows);
  return [
    ...rows,
    ...actorPicker(
      openActions(actions, 'related'),
      'related',
      'Related actors',
      room,
      seen,
      (o) => `${o.ref.name}${o.ref.subgroup ? ' (subgroup)' : ''}`,
    ),
  ];
}
