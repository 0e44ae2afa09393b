/** A card as one Discord embed with its buttons: facts, description, operations, links. Pure. */
import type { APIEmbed } from 'discord-api-types/v10';
import type { CardView, OperationView, Reply, TextSegment } from '../../src/core/types.js';
import { encodeAction } from '../../src/reply/actions.js';
import { OPERATIONS_PER_PAGE } from '../../src/reply/build.js';
import { cardFacts } from '../../src/reply/facts.js';
import { type NextAction, openActions, pageActions } from '../../src/reply/next.js';
import { summarizeTechniques } from '../../src/reply/techniques.js';
import { REFERENCES_SHOWN } from '../../src/reply/text.js';
import { truncate } from '../shared/truncate.js';
import { countryColour } from './colours.js';
import {
  type ActionRow,
  actorPicker,
  type Button,
  buttonRows,
  shareButtons,
} from './components.js';
import { type DraftField, type Flex, fitEmbeds, flex } from './fit.js';
import { balanceBold, escapeText, sourceLink } from './text.js';

export function paragraph(segments: readonly TextSegment[]): string {
  return segments
    .map((s) => (s.kind === 'link' ? `**${escapeText(s.text)}**` : escapeText(s.text)))
    .join('');
}

/** An operation's field value: its text, then its source links (kept whole, at least one). */
function operationValue(op: OperationView): Flex {
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

function operationName(op: OperationView): string {
  const title = escapeText(op.title.trim()) || 'Operation';
  return truncate(op.date ? `${escapeText(op.date)} · ${title}` : title, 200);
}

/** Short facts inline, then aliases, lists, techniques, operations, references and sources. */
function cardFields(card: CardView): DraftField[] {
  const fields: DraftField[] = [];
  const facts = cardFacts(card);
  for (const f of facts.filter((f) => !f.list)) {
    fields.push({ name: f.label, value: escapeText(f.value), inline: true });
  }
  if (card.operationsTotal > 0) {
    fields.push({ name: 'Operations', value: String(card.operationsTotal), inline: true });
  }
  if (card.aliases.length) {
    fields.push({
      name: 'Aliases',
      value: flex(
        card.aliases
          .map((a) =>
            a.vendor ? `${escapeText(a.name)} (${escapeText(a.vendor)})` : escapeText(a.name),
          )
          .join(', '),
        2,
      ),
    });
  }
  for (const f of facts.filter((f) => f.list)) {
    fields.push({ name: f.label, value: flex(escapeText(f.value)) });
  }
  if (card.software.length) {
    const names = card.software.map((sw) => (sw.id ? `${sw.name} (${sw.id})` : sw.name));
    fields.push({ name: 'Software', value: flex(escapeText(names.join(', '))) });
  }
  if (card.techniques.total > 0) {
    const view = card.techniques;
    const summary = summarizeTechniques(view);
    const lines = summary.lines.map(
      (l) =>
        `• **${escapeText(l.tactic)}**: ${escapeText(l.items.join(', '))}${l.more > 0 ? ` (+${l.more})` : ''}`,
    );
    if (summary.more > 0) lines.push(`+${summary.more} more`);
    if (view.attackUrl) lines.push(sourceLink(view.attackUrl));
    fields.push({ name: `ATT&CK techniques (${view.total})`, value: flex(lines.join('\n')) });
  }
  if (card.operations.length) {
    const from = card.operationsPage * OPERATIONS_PER_PAGE + 1;
    const to = from + card.operations.length - 1;
    fields.push({
      name: card.operationsPage > 0 ? 'Earlier operations' : 'Latest operations',
      value: `${from}–${to} of ${card.operationsTotal}, newest first`,
    });
    for (const op of card.operations) {
      fields.push({ name: operationName(op), value: operationValue(op) });
    }
  }
  if (card.counterOperations.length) {
    fields.push({
      name: 'Counter operations',
      value: flex(
        card.counterOperations
          .map((op) => `• ${op.date ? `${escapeText(op.date)} · ` : ''}${escapeText(op.title)}`)
          .join('\n'),
      ),
    });
  }
  if (card.references.length) {
    // Labelled, with the link showing its real host: a label cannot disguise where it goes.
    const shown = card.references
      .slice(0, REFERENCES_SHOWN)
      .map((r) => `• ${r.label ? `${escapeText(r.label)} ` : ''}(${sourceLink(r.url)})`);
    const more = card.references.length - shown.length;
    fields.push({
      name: `References (${card.references.length})`,
      value: flex([...shown, ...(more > 0 ? [`+${more} more`] : [])].join('\n')),
    });
  }
  if (card.alsoNamed?.length) {
    fields.push({
      name: 'That name is also used for',
      value: flex(card.alsoNamed.map((r) => escapeText(r.name)).join(', ')),
    });
  }
  if (card.sources?.length) {
    fields.push({
      name: 'Sources',
      value: flex(
        card.sources
          .map((s) => (s.url ? `[${escapeText(s.label)}](${s.url})` : escapeText(s.label)))
          .join(' · '),
      ),
    });
  }
  return fields;
}

/** Operations paging and Share in one row, then the related actors. */
function cardComponents(actions: readonly NextAction[], share: boolean | undefined): ActionRow[] {
  const nav: Button[] = pageActions(actions).map((p) => ({
    label:
      p.direction === 'back' ? '◀ Newer operations' : `More operations (${p.page + 1}/${p.pages})`,
    action: encodeAction(p.action),
  }));
  const seen = new Set<string>();
  return [
    ...buttonRows([...nav, ...shareButtons(actions, share)], 1, seen),
    ...actorPicker(
      openActions(actions, 'related'),
      'related',
      'Related actors',
      3,
      seen,
      (o) => `${o.ref.name}${o.ref.subgroup ? ' (subgroup)' : ''}`,
    ),
  ];
}

export function cardMessage(
  reply: Extract<Reply, { kind: 'card' }>,
  actions: readonly NextAction[],
  share: boolean | undefined,
): { embeds: APIEmbed[]; components: ActionRow[] } {
  const { card } = reply;
  const footer = [
    card.lastModified ? `Source last modified ${card.lastModified}` : '',
    `UUID ${card.uuid}`,
  ]
    .filter(Boolean)
    .join(' · ');
  const embeds = fitEmbeds([
    {
      title: escapeText([card.name, ...card.otherNames].join(', ')),
      description: flex(card.description.map(paragraph).join('\n\n'), 4),
      color: countryColour(card.countries),
      fields: cardFields(card),
      footer,
    },
  ]);
  return { embeds, components: cardComponents(actions, share) };
}
