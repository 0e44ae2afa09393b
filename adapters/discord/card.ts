/**
 * A card as Discord embeds with their buttons. Every part opens with the title (linked to the
 * main source's page) and the first screen's facts in its order (src/reply/first-screen.ts):
 * sources and aliases in the description, then the key facts as inline fields. The first
 * screen goes on with the latest operations, the key tools and the top techniques; the full
 * card with everything in a second embed (the description, what the other sources say, the
 * operations, references), shortened to Discord's limits. The other parts are in card-parts.ts.
 */
import type { APIEmbed } from 'discord-api-types/v10';
import type { CardView, Reply } from '../../src/core/types.js';
import { OPERATIONS_PER_PAGE } from '../../src/reply/build.js';
import { alsoNamedText } from '../../src/reply/facts.js';
import { type FirstScreen, firstScreen, moreText } from '../../src/reply/first-screen.js';
import type { NextAction } from '../../src/reply/next.js';
import { REFERENCES_SHOWN } from '../../src/reply/text.js';
import { truncate } from '../shared/truncate.js';
import { operationsEmbeds, sourcesEmbeds, techniquesEmbeds } from './card-parts.js';
import {
  cardComponents,
  cardTitle,
  footerText,
  mainSourceUrl,
  operationName,
  operationValue,
  paragraph,
  sourceLinkRow,
  sourcesLine,
} from './card-pieces.js';
import { countryColour } from './colours.js';
import type { ActionRow } from './components.js';
import { type DraftEmbed, type DraftField, type Flex, fitEmbeds, flex, listFlex } from './fit.js';
import { balanceBold, escapeText, sourceLink } from './text.js';

export { paragraph } from './card-pieces.js';

function aliasText(a: { name: string; vendor: string }): string {
  return a.vendor ? `${escapeText(a.name)} (${escapeText(a.vendor)})` : escapeText(a.name);
}

/** Sources and the first aliases ("+N more"), as the description that opens the embed. */
function firstOpening(card: CardView, screen: FirstScreen): string {
  const aliases = [
    ...screen.aliases.items.map(aliasText),
    moreText(screen.aliases.more, 'aliases'),
  ].filter(Boolean);
  return [sourcesLine(card), aliases.length ? `**Aliases**: ${aliases.join(', ')}` : '']
    .filter(Boolean)
    .join('\n');
}

/** Sources and every alias, as many as the room allows, then "+N more". */
function fullOpening(card: CardView): string | Flex {
  const sources = sourcesLine(card);
  if (!card.aliases.length) return sources;
  const head = `${sources ? `${sources}\n` : ''}**Aliases**: `;
  return prefixed(head, listFlex(card.aliases.map(aliasText), 2));
}

/** A fixed head before a list that may be shortened (the head is never cut). */
function prefixed(head: string, list: Flex): Flex {
  return {
    length: head.length + list.length,
    weight: list.weight,
    render: (max) => head + list.render(Math.max(0, max - head.length)),
  };
}

/** A fact on the first screen is read at a glance: this long at most (the full card: 1024). */
const GLANCE = 300;

function factFields(screen: FirstScreen, full: boolean): DraftField[] {
  return screen.facts.map((f) => ({
    name: f.label,
    value: full ? flex(escapeText(f.value)) : balanceBold(truncate(escapeText(f.value), GLANCE)),
    inline: true,
  }));
}

function techniquesField(card: CardView, screen: FirstScreen): DraftField[] {
  const t = screen.techniques;
  if (!t) return [];
  const lines = t.lines.map(
    (l) =>
      `• **${escapeText(l.tactic)}**: ${escapeText(l.items.join(', '))}${l.more > 0 ? ` (+${l.more})` : ''}`,
  );
  if (t.more > 0) lines.push(moreText(t.more, 'techniques'));
  if (card.techniques.attackUrl) lines.push(sourceLink(card.techniques.attackUrl));
  return [{ name: `ATT&CK techniques (${t.total})`, value: flex(lines.join('\n')) }];
}

function alsoNamedField(card: CardView): DraftField[] {
  if (!card.alsoNamed?.length) return [];
  return [
    {
      name: 'That name is also used for',
      value: flex(card.alsoNamed.map((r) => escapeText(alsoNamedText(r))).join(', ')),
    },
  ];
}

function firstScreenDraft(card: CardView): DraftEmbed {
  const screen = firstScreen(card);
  const fields: DraftField[] = factFields(screen, false);
  const ops = screen.operations;
  if (ops.items.length) {
    // One field each, its name the date and title, its value the link: a long URL never
    // crowds the other operations out.
    fields.push({
      name: 'Latest operations',
      value: `${ops.items.length} of ${card.operationsTotal}, newest first`,
    });
    ops.items.forEach((op, i) => {
      const [link] = op.sources;
      const more = i === ops.items.length - 1 ? moreText(ops.more, 'operations') : '';
      const value = [link ? sourceLink(link) : '', more].filter(Boolean).join('\n');
      fields.push({ name: operationName(op), value: value || 'No link on the card.' });
    });
  }
  if (screen.tools.items.length) {
    const tools = [...screen.tools.items.map(escapeText), moreText(screen.tools.more, 'tools')];
    fields.push({ name: 'Tools', value: flex(tools.filter(Boolean).join(', ')) });
  }
  fields.push(...techniquesField(card, screen), ...alsoNamedField(card));
  const url = mainSourceUrl(card);
  return {
    title: cardTitle(card),
    ...(url ? { url } : {}),
    description: flex(firstOpening(card, screen), 2),
    color: countryColour(card.countries),
    fields,
    footer: footerText(card),
  };
}

/** The full card: the facts and every list first, then the story in a second embed. */
function fullCardDrafts(card: CardView): DraftEmbed[] {
  const screen = firstScreen(card);
  const color = countryColour(card.countries);
  const lists: DraftField[] = [];
  const list = (name: string, values: readonly string[]) => {
    if (values.length) lists.push({ name, value: listFlex(values.map(escapeText)) });
  };
  list('Sectors', card.sectors);
  list('Targets', card.targets);
  list(`Tools (${card.tools.length})`, card.keyTools ?? card.tools);
  list(
    'Software',
    card.software.map((sw) => (sw.id ? `${sw.name} (${sw.id})` : sw.name)),
  );
  const url = mainSourceUrl(card);
  const facts: DraftEmbed = {
    title: cardTitle(card),
    ...(url ? { url } : {}),
    description: fullOpening(card),
    color,
    fields: [...factFields(screen, true), ...lists, ...techniquesField(card, screen)],
  };
  const story: DraftField[] = (card.otherDescriptions ?? []).map((o) => ({
    name: `${escapeText(o.label)} says`,
    value: flex(o.paragraphs.map(paragraph).join('\n\n'), 2),
  }));
  if (card.operations.length) {
    const to = Math.min(OPERATIONS_PER_PAGE, card.operations.length);
    story.push({
      name: 'Latest operations',
      value: `1–${to} of ${card.operationsTotal}, newest first`,
    });
    for (const op of card.operations)
      story.push({ name: operationName(op), value: operationValue(op) });
  }
  if (card.counterOperations.length) {
    story.push({
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
    story.push({
      name: `References (${card.references.length})`,
      value: flex([...shown, ...(more > 0 ? [moreText(more, 'references')] : [])].join('\n')),
    });
  }
  story.push(...alsoNamedField(card));
  const description = card.description.map(paragraph).join('\n\n');
  return [
    facts,
    {
      ...(description ? { description: flex(description, 4) } : {}),
      color,
      fields: story,
      footer: footerText(card),
    },
  ];
}

export function cardMessage(
  reply: Extract<Reply, { kind: 'card' }>,
  actions: readonly NextAction[],
  share: boolean | undefined,
): { embeds: APIEmbed[]; components: ActionRow[] } {
  const { card } = reply;
  switch (reply.part ?? 'first') {
    case 'first':
      return {
        embeds: fitEmbeds([firstScreenDraft(card)]),
        components: cardComponents(actions, share),
      };
    case 'full':
      return {
        embeds: fitEmbeds(fullCardDrafts(card)),
        components: cardComponents(actions, share, sourceLinkRow(card)),
      };
    case 'operations':
      return {
        embeds: fitEmbeds(operationsEmbeds(card)),
        components: cardComponents(actions, share),
      };
    case 'techniques':
      return {
        embeds: fitEmbeds(techniquesEmbeds(card)),
        components: cardComponents(actions, share),
      };
    case 'sources':
      return {
        embeds: fitEmbeds(sourcesEmbeds(card)),
        components: cardComponents(actions, share, sourceLinkRow(card)),
      };
  }
}
