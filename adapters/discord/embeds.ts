/**
 * Discord renderer: a neutral Reply in, `{ embeds, components }` out. Pure (no client, no I/O),
 * so every answer kind and every Discord limit is unit-tested without a network.
 *
 * Every text that comes from a card or a user is escaped (markdown, block quotes, mentions), and
 * every length is fitted to Discord's limits by shortening on a word boundary: a long card is
 * shortened, never rejected.
 */

import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIEmbedField,
  type APISelectMenuOption,
  type APIStringSelectComponent,
  ButtonStyle,
  ComponentType,
} from 'discord-api-types/v10';
import { encodeAction } from '../../src/reply/actions.js';
import { LIST_PAGE_SIZE, OPERATIONS_PER_PAGE } from '../../src/reply/build.js';
import { factText } from '../../src/reply/facts.js';
import { HELP_INTRO, helpLines } from '../../src/reply/help.js';
import type {
  ActorRef,
  BotAction,
  CardView,
  CompactActor,
  OperationView,
  Reply,
  TextSegment,
} from '../../src/reply/model.js';
import { summarizeTechniques } from '../../src/reply/techniques.js';
import { REFERENCES_SHOWN } from '../../src/reply/text.js';
import {
  closestLine,
  noneHeadline,
  smallTalkLine,
  statusLines,
  suggestionLines,
  suggestionName,
} from '../../src/reply/wording.js';
import { CardMemo } from '../card-memo.js';

/** Discord's documented limits (characters are counted as JS string length: conservative). */
export const LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** Sum of title, description, field names and values, footer text, over all embeds. */
  total: 6000,
  embeds: 10,
  rows: 5,
  buttonsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  selectOptions: 25,
  optionLabel: 100,
  optionValue: 100,
  optionDescription: 100,
  placeholder: 150,
  content: 2000,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: ActionRow[];
}

export interface RenderOptions {
  /** Add a "Share" button: the answer is ephemeral and can be posted for everyone. */
  share?: boolean;
  /** How users invoke the bot, for help and hints. */
  cmd?: string;
}

/** A Share button's custom id is this prefix and the encoded action that re-creates the answer. */
export const SHARE_PREFIX = 'share:';
/** Select menus carry their action in the chosen option's value. */
export const PICK_PREFIX = 'pick:';

export const COLOURS = {
  brand: 0x5865f2,
  error: 0xed4245,
  ambiguous: 0xfee75c,
  none: 0x99aab5,
  list: 0x3498db,
} as const;

/** Country of origin -> embed colour, so a glance tells the usual suspects apart. */
const COUNTRY_COLOURS: Record<string, number> = {
  china: 0xde2910,
  russia: 0x1f5fbf,
  iran: 0x239f40,
  'north korea': 0x9b59b6,
  vietnam: 0xffcd00,
  india: 0xff9933,
  pakistan: 0x01411c,
  israel: 0x0038b8,
  usa: 0x3c3b6e,
  '[unknown]': 0x95a5a6,
};

export function countryColour(countries: readonly string[]): number {
  const first = countries[0]?.trim().toLowerCase();
  return (first && COUNTRY_COLOURS[first]) || COLOURS.brand;
}

// ---------------------------------------------------------------------------------------------
// Text: escape and shorten

/** A bare URL: Discord links it as written, so nothing inside it is escaped (it would break). */
const URL_RE = /\bhttps?:\/\/[^\s<>]+/g;
/**
 * One pass over the text finds everything that needs neutralising: a character that opens or
 * closes inline markdown, masked links or an escape; a marker that only means something at the
 * start of a line (quote, heading, subtext, list item, "1." numbering); a mention.
 */
const ESCAPE_RE =
  /[\\*_~`|[\]]|^[ \t]*(?:[>#+-]|\d+(?=\.))|@(?:everyone|here)|<(?:@[!&]?|#)(?=\d)/gim;

function escapeMatch(m: string): string {
  const first = m[0] ?? '';
  if (first === '@') return `@\u200b${m.slice(1)}`;
  if (first === '<') return `${m}\u200b`;
  if (first === ' ' || first === '\t' || (first >= '0' && first <= '9')) {
    // A line-start marker after an indent, or "1." numbering (escape the dot, not the digits).
    const indent = /^[ \t]*/.exec(m)?.[0] ?? '';
    const marker = m.slice(indent.length);
    return /^\d/.test(marker) ? `${indent}${marker}\\` : `${indent}\\${marker}`;
  }
  return `\\${m}`;
}

function escapeSegment(text: string): string {
  return text.replace(ESCAPE_RE, escapeMatch);
}

/**
 * Make card or user text inert: every inline markdown character (`* _ ~ \` | [ ] \\`) and every
 * line-start marker (quote, heading, subtext, list) is escaped, and mentions (`@everyone`,
 * `@here`, `<@id>`, `<@&role>`, `<#channel>`) are broken with a zero-width space so they show as
 * typed and never resolve. (No message pings anyway: the client sends `allowed_mentions: { parse:
 * [] }`.) Bare URLs are left whole so they stay clickable.
 *
 * discord.js's `escapeMarkdown` does the same job, but its look-behinds make it slow on long
 * text (about 2.5 ms for one large card on this machine, most of an interaction's budget), so
 * this is a single linear pass instead.
 */
export function escapeText(text: string): string {
  let out = '';
  let at = 0;
  for (const m of text.matchAll(URL_RE)) {
    const index = m.index ?? 0;
    out += escapeSegment(text.slice(at, index)) + m[0];
    at = index + m[0].length;
  }
  return out + escapeSegment(text.slice(at));
}

/** Discord markdown we write ourselves (`**name**`) must stay balanced after a cut. */
function balanceBold(text: string): string {
  let count = 0;
  let last = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '*' && text[i + 1] === '*') {
      count++;
      last = i;
      i++;
    }
  }
  return count % 2 === 1 ? text.slice(0, last) + text.slice(last + 2) : text;
}

/**
 * Shorten `text` to at most `max` characters, ending on a word boundary with "…". A single word
 * longer than half the room is cut inside (a long URL). Never leaves half a surrogate pair or a
 * dangling escape backslash.
 */
export function truncate(text: string, max: number, ellipsis = '…'): string {
  if (text.length <= max) return text;
  if (max <= ellipsis.length) return '';
  let cut = text.slice(0, max - ellipsis.length);
  const next = text[cut.length] ?? '';
  if (!/\s/.test(next)) {
    const boundary = cut.search(/\s\S*$/);
    if (boundary >= Math.floor(cut.length / 2)) cut = cut.slice(0, boundary);
  }
  cut = cut.trimEnd();
  const lastCode = cut.charCodeAt(cut.length - 1);
  if (lastCode >= 0xd800 && lastCode <= 0xdbff) cut = cut.slice(0, -1);
  const slashes = /\\+$/.exec(cut)?.[0].length ?? 0;
  if (slashes % 2 === 1) cut = cut.slice(0, -1);
  cut = cut.replace(/[\s,;:]+$/, '');
  return cut ? `${cut}${ellipsis}` : '';
}

/** Plain (unrendered) text such as button labels and select options: no escaping, just a cap. */
function plain(text: string, max: number): string {
  return truncate(text.replace(/\s+/g, ' ').trim(), max) || text.slice(0, max);
}

// ---------------------------------------------------------------------------------------------
// Fitting embeds into Discord's limits

/** A text that can be shortened: `render(max)` returns at most `max` characters. */
interface Flex {
  length: number;
  /** Share of the room this text gets when the embed is over the total limit. */
  weight: number;
  render(max: number): string;
}

function flex(text: string, weight = 1): Flex {
  // Whole texts are balanced as built; only a cut can leave half a `**name**`.
  return {
    length: text.length,
    weight,
    render: (max) => (text.length <= max ? text : balanceBold(truncate(text, max))),
  };
}

interface DraftField {
  name: string;
  value: string | Flex;
  inline?: boolean;
}

interface DraftEmbed {
  title?: string;
  description?: string | Flex;
  color: number;
  fields?: DraftField[];
  footer?: string;
}

const asFlex = (v: string | Flex): Flex => (typeof v === 'string' ? flex(v) : v);

/**
 * Turn drafts into embeds within every limit: fixed parts (title, field names, footer) are capped
 * first; the flexible parts (descriptions, field values) then share the room left under the
 * 6000-character total in proportion to their weights (water-filling: short texts keep all of
 * theirs, long ones are shortened to a common cap).
 */
export function fitEmbeds(drafts: DraftEmbed[]): APIEmbed[] {
  const kept = drafts.slice(0, LIMITS.embeds);
  type Slot = { flex: Flex; cap: number };
  const slots: Slot[] = [];
  let fixed = 0;
  const shaped = kept.map((d) => {
    const title = d.title ? truncate(d.title, LIMITS.title) : undefined;
    const footer = d.footer ? truncate(d.footer, LIMITS.footer) : undefined;
    fixed += (title?.length ?? 0) + (footer?.length ?? 0);
    const description: Slot | undefined = d.description
      ? { flex: asFlex(d.description), cap: LIMITS.description }
      : undefined;
    if (description) slots.push(description);
    const fields = (d.fields ?? []).slice(0, LIMITS.fields).map((f) => {
      const name = truncate(f.name, LIMITS.fieldName) || '\u200b';
      fixed += name.length;
      const slot: Slot = { flex: asFlex(f.value), cap: LIMITS.fieldValue };
      slots.push(slot);
      return { name, slot, inline: f.inline ?? false };
    });
    return { d, title, footer, description, fields };
  });

  const natural = slots.map((s) => Math.min(s.flex.length, s.cap));
  const room = Math.max(0, LIMITS.total - fixed);
  const sum = (c: number) =>
    slots.reduce((acc, s, i) => acc + Math.min(natural[i] ?? 0, Math.floor(s.flex.weight * c)), 0);
  let allowance = natural;
  if (natural.reduce((a, b) => a + b, 0) > room) {
    let lo = 0;
    let hi = Math.max(...natural);
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (sum(mid) <= room) lo = mid;
      else hi = mid - 1;
    }
    allowance = slots.map((s, i) => Math.min(natural[i] ?? 0, Math.floor(s.flex.weight * lo)));
  }
  const rendered = new Map<Slot, string>();
  slots.forEach((s, i) => {
    rendered.set(s, s.flex.render(allowance[i] ?? 0));
  });

  const embeds = shaped.map(({ d, title, footer, description, fields }) => {
    const embed: APIEmbed = { color: d.color };
    if (title) embed.title = title;
    const desc = description ? rendered.get(description) : undefined;
    if (desc) embed.description = desc;
    const out: APIEmbedField[] = [];
    for (const f of fields) {
      const value = rendered.get(f.slot);
      if (value) out.push({ name: f.name, value, ...(f.inline ? { inline: true } : {}) });
    }
    if (out.length) embed.fields = out;
    if (footer) embed.footer = { text: footer };
    return embed;
  });
  // Belt and braces: should rounding ever leave the total over, drop trailing fields.
  while (embedsLength(embeds) > LIMITS.total) {
    const withFields = [...embeds].reverse().find((e) => e.fields?.length);
    if (!withFields?.fields) break;
    withFields.fields.pop();
  }
  return embeds;
}

/** The characters Discord counts towards the 6000 total. */
export function embedsLength(embeds: readonly APIEmbed[]): number {
  let n = 0;
  for (const e of embeds) {
    n += (e.title?.length ?? 0) + (e.description?.length ?? 0);
    n += (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
    for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Components

interface Button {
  label: string;
  action?: string;
  style?: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success;
}

function button(b: Button & { action: string }): APIButtonComponentWithCustomId {
  return {
    type: ComponentType.Button,
    style: b.style ?? ButtonStyle.Secondary,
    label: plain(b.label, LIMITS.buttonLabel),
    custom_id: b.action,
  };
}

function row(components: APIComponentInMessageActionRow[]): ActionRow {
  return { type: ComponentType.ActionRow, components };
}

/**
 * Lay buttons out five to a row, in at most `maxRows` rows. Buttons with no action (it did not
 * fit in a custom id) and repeated custom ids (Discord rejects them) are left out.
 */
function buttonRows(buttons: Button[], maxRows: number, seen: Set<string>): ActionRow[] {
  const usable: APIButtonComponentWithCustomId[] = [];
  for (const b of buttons) {
    if (!b.action || b.action.length > LIMITS.customId || seen.has(b.action)) continue;
    seen.add(b.action);
    usable.push(button({ ...b, action: b.action }));
  }
  const rows: ActionRow[] = [];
  for (let i = 0; i < usable.length && rows.length < maxRows; i += LIMITS.buttonsPerRow) {
    rows.push(row(usable.slice(i, i + LIMITS.buttonsPerRow)));
  }
  return rows;
}

function selectMenu(
  id: string,
  placeholder: string,
  refs: readonly ActorRef[],
  seen: Set<string>,
): ActionRow | undefined {
  const options: APISelectMenuOption[] = [];
  for (const ref of refs) {
    const value = encodeAction({ type: 'show', uuid: ref.uuid });
    if (!value || value.length > LIMITS.optionValue || seen.has(value)) continue;
    seen.add(value);
    const description = refFacts(ref);
    options.push({
      label: plain(ref.name, LIMITS.optionLabel),
      value,
      ...(description ? { description: plain(description, LIMITS.optionDescription) } : {}),
    });
    if (options.length === LIMITS.selectOptions) break;
  }
  if (options.length === 0) return undefined;
  const menu: APIStringSelectComponent = {
    type: ComponentType.StringSelect,
    custom_id: `${PICK_PREFIX}${id}`,
    placeholder: plain(placeholder, LIMITS.placeholder),
    min_values: 1,
    max_values: 1,
    options,
  };
  return row([menu]);
}

/** Buttons for up to `maxButtons` actors, or a select menu (up to 25) when there are more. */
function actorPicker(
  refs: readonly ActorRef[],
  id: string,
  placeholder: string,
  maxButtonRows: number,
  seen: Set<string>,
  label: (ref: ActorRef) => string = (r) => r.name,
): ActionRow[] {
  if (refs.length <= maxButtonRows * LIMITS.buttonsPerRow) {
    return buttonRows(
      refs.map((r) => ({ label: label(r), action: encodeAction({ type: 'show', uuid: r.uuid }) })),
      maxButtonRows,
      seen,
    );
  }
  const menu = selectMenu(id, placeholder, refs, seen);
  return menu ? [menu] : [];
}

/** The encoded action that re-creates this answer, for the Share button; undefined if none. */
export function shareAction(reply: Reply): string | undefined {
  let action: BotAction;
  switch (reply.kind) {
    case 'card':
      action =
        reply.card.operationsPage > 0
          ? { type: 'ops', uuid: reply.card.uuid, page: reply.card.operationsPage }
          : { type: 'show', uuid: reply.card.uuid };
      break;
    case 'list':
      action = { type: 'list', query: reply.query, page: reply.page };
      break;
    case 'ambiguous':
      action = { type: 'list', query: reply.query, page: 0 };
      break;
    default:
      return undefined;
  }
  const encoded = encodeAction(action);
  return encoded && SHARE_PREFIX.length + encoded.length <= LIMITS.customId ? encoded : undefined;
}

function shareButton(reply: Reply, options: RenderOptions): Button[] {
  if (!options.share) return [];
  const action = shareAction(reply);
  return action
    ? [{ label: 'Share', action: `${SHARE_PREFIX}${action}`, style: ButtonStyle.Primary }]
    : [];
}

/** A component's custom id, read back: a Share press, or the action to run. */
export function parseCustomId(customId: string): { share: boolean; action: string } {
  return customId.startsWith(SHARE_PREFIX)
    ? { share: true, action: customId.slice(SHARE_PREFIX.length) }
    : { share: false, action: customId };
}

// ---------------------------------------------------------------------------------------------
// Answer kinds

function refFacts(ref: ActorRef): string {
  return [
    ref.country,
    ref.aliases.length ? `aka ${ref.aliases.join(', ')}` : '',
    ref.sources?.length ? `sources: ${ref.sources.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

function refLine(ref: ActorRef, n?: number): string {
  const facts = refFacts(ref);
  return `${n === undefined ? '•' : `${n}.`} **${escapeText(ref.name)}**${facts ? ` · ${escapeText(facts)}` : ''}`;
}

function paragraph(segments: readonly TextSegment[]): string {
  return segments
    .map((s) => (s.kind === 'link' ? `**${escapeText(s.text)}**` : escapeText(s.text)))
    .join('');
}

/** A source URL as a masked link (`[host](url)`), or escaped text when it is not http(s). */
function sourceLink(url: string): string {
  try {
    const u = new URL(url.trim());
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
    // Brackets would end the markdown link early; encodeURIComponent leaves ( ) alone.
    const href = u.href.replace(
      /[()<>\s[\]]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
    );
    const host = u.hostname.replace(/^www\./, '');
    return `[${escapeText(host)}](${href})`;
  } catch {
    return escapeText(url);
  }
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

function cardMessage(reply: Extract<Reply, { kind: 'card' }>, options: RenderOptions) {
  const card: CardView = reply.card;
  const fields: DraftField[] = [];
  const fact = (name: string, value: string, inline = true) => {
    if (value.trim()) fields.push({ name, value: escapeText(value), inline });
  };
  fact('Country', factText(card, 'Country'));
  fact('Sponsor', factText(card, 'Sponsor'));
  fact('Motivation', card.motivations.join(', '));
  fact('First seen', card.firstSeen);
  if (card.operationsTotal > 0) fact('Operations', String(card.operationsTotal));
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
  const list = (name: string, values: readonly string[]) => {
    if (values.length) fields.push({ name, value: flex(escapeText(values.join(', '))) });
  };
  list('Sectors', card.sectors);
  list('Targets', card.targets);
  list('Tools', card.tools);
  list(
    'Software',
    card.software.map((sw) => (sw.id ? `${sw.name} (${sw.id})` : sw.name)),
  );
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
      fields,
      footer,
    },
  ]);

  const seen = new Set<string>();
  const nav: Button[] = [];
  if (card.operationsPage > 0) {
    nav.push({
      label: '◀ Newer operations',
      action: encodeAction({ type: 'ops', uuid: card.uuid, page: card.operationsPage - 1 }),
    });
  }
  if (card.operationsPage < card.operationsPageCount - 1) {
    nav.push({
      label: `More operations (${card.operationsPage + 2}/${card.operationsPageCount})`,
      action: encodeAction({ type: 'ops', uuid: card.uuid, page: card.operationsPage + 1 }),
    });
  }
  const components = [
    ...buttonRows([...nav, ...shareButton(reply, options)], 1, seen),
    ...actorPicker(
      card.related,
      'related',
      'Related actors',
      3,
      seen,
      (r) => `${r.name}${'subgroup' in r && r.subgroup ? ' (subgroup)' : ''}`,
    ),
  ];
  return { embeds, components };
}

function ambiguousMessage(reply: Extract<Reply, { kind: 'ambiguous' }>, options: RenderOptions) {
  const q = escapeText(reply.query);
  const title =
    reply.reason === 'shared-alias'
      ? `“${q}” is a name used for ${reply.candidates.length} different actors`
      : `“${q}” could be several actors`;
  const embeds = fitEmbeds([
    {
      title,
      description: flex(
        [
          ...reply.candidates.map((c, i) => refLine(c, i + 1)),
          '',
          'Pick one below, or ask again with a fuller name.',
        ].join('\n'),
      ),
      color: COLOURS.ambiguous,
    },
  ]);
  const seen = new Set<string>();
  const components = [
    ...actorPicker(reply.candidates, 'candidates', 'Which actor?', 2, seen, (r) =>
      r.country ? `${r.name} (${r.country})` : r.name,
    ),
    ...buttonRows(shareButton(reply, options), 1, seen),
  ];
  return { embeds, components };
}

function listMessage(reply: Extract<Reply, { kind: 'list' }>, options: RenderOptions) {
  const first = reply.page * LIST_PAGE_SIZE;
  const embeds = fitEmbeds([
    {
      title: `${reply.total} actor${reply.total === 1 ? '' : 's'} match “${escapeText(reply.query)}”`,
      description: flex(reply.items.map((c, i) => refLine(c, first + i + 1)).join('\n')),
      color: COLOURS.list,
      ...(reply.pageCount > 1 ? { footer: `Page ${reply.page + 1} of ${reply.pageCount}` } : {}),
    },
  ]);
  const seen = new Set<string>();
  const menu = selectMenu('list', 'Open a card…', reply.items, seen);
  const nav: Button[] = [];
  if (reply.page > 0) {
    nav.push({
      label: '◀ Previous',
      action: encodeAction({ type: 'list', query: reply.query, page: reply.page - 1 }),
    });
  }
  if (reply.page < reply.pageCount - 1) {
    nav.push({
      label: 'Next ▶',
      action: encodeAction({ type: 'list', query: reply.query, page: reply.page + 1 }),
    });
  }
  const components = [
    ...(menu ? [menu] : []),
    ...buttonRows([...nav, ...shareButton(reply, options)], 1, seen),
  ];
  return { embeds, components };
}

function noneMessage(reply: Extract<Reply, { kind: 'none' }>, cmd: string) {
  const title = truncate(escapeText(noneHeadline(reply)), 250);
  if (reply.missingId) {
    const embeds = fitEmbeds([
      { title, description: `Try a name or alias, or \`${cmd} help\`.`, color: COLOURS.none },
    ]);
    return { embeds, components: [] };
  }
  const embeds = fitEmbeds([
    {
      title,
      description: reply.suggestions.length
        ? flex(
            ['Did you mean:', ...suggestionLines(reply.suggestions).map((l) => escapeText(l))].join(
              '\n',
            ),
          )
        : `Try another name or alias, or \`${cmd} help\`.`,
      color: COLOURS.none,
    },
  ]);
  const components = actorPicker(
    reply.suggestions,
    'suggestions',
    'Did you mean…',
    4,
    new Set(),
    (ref) => suggestionName({ ...ref, ...reply.suggestions.find((s) => s.uuid === ref.uuid) }),
  );
  return { embeds, components };
}

function textMessage(lines: string[], title?: string) {
  const embeds = fitEmbeds([
    {
      ...(title ? { title: escapeText(title) } : {}),
      description: flex(lines.map((l) => escapeText(l)).join('\n')),
      color: COLOURS.brand,
    },
  ]);
  return { embeds, components: [] };
}

function helpMessage(reply: Extract<Reply, { kind: 'help' }>, cmd: string) {
  const embeds = fitEmbeds([
    {
      title: reply.topic === 'empty' ? `Usage: ${cmd} <actor name or filters>` : 'aptcard',
      description: escapeText(HELP_INTRO),
      color: COLOURS.brand,
      fields: helpLines(cmd).map((s) => ({
        name: escapeText(s.title),
        value: s.lines.map((l) => `• ${escapeText(l)}`).join('\n'),
      })),
    },
  ]);
  return { embeds, components: [] };
}

function compactLine(actor: CompactActor): string {
  const facts = [
    actor.country,
    actor.topAliases.length ? `aka ${actor.topAliases.join(', ')}` : '',
    actor.firstSeen ? `first seen ${actor.firstSeen}` : '',
  ].filter(Boolean);
  return `**${escapeText(actor.name)}**${facts.length ? ` · ${escapeText(facts.join('; '))}` : ''}`;
}

function enrichmentMessage(reply: Extract<Reply, { kind: 'enrichment' }>) {
  const embeds = fitEmbeds([
    {
      description: flex(reply.actors.map(compactLine).join('\n')),
      color: countryColour(reply.actors.length === 1 ? [reply.actors[0]?.country ?? ''] : []),
    },
  ]);
  const components = buttonRows(
    reply.actors.map((a) => ({
      label: `Show card: ${a.name}`,
      action: encodeAction({ type: 'show', uuid: a.uuid }),
    })),
    LIMITS.rows,
    new Set(),
  );
  return { embeds, components };
}

function errorMessage(message: string) {
  return {
    embeds: fitEmbeds([{ title: 'Sorry', description: escapeText(message), color: COLOURS.error }]),
    components: [],
  };
}

/** Render any reply as an embed and its buttons / select menus, within Discord's limits. */
/** Card messages are the same for the same prepared card and options: render each once. */
const cardMemo = new CardMemo<DiscordMessage>();

export function renderReply(reply: Reply, options: RenderOptions = {}): DiscordMessage {
  const cmd = options.cmd ?? '/apt';
  let message: DiscordMessage;
  switch (reply.kind) {
    case 'card': {
      const key = `${options.cmd ?? ''}\u0000${options.share ? 1 : 0}`;
      const card = cardMemo.get(reply.card, key, () => {
        const m = cardMessage(reply, options);
        return { ...m, components: m.components.slice(0, LIMITS.rows) };
      });
      // A card reached by fuzzy matching says so above it (the memoized card is not changed).
      if (reply.closest === undefined) return card;
      const line = escapeText(closestLine(reply.closest, reply.card.name));
      return { ...card, content: truncate(line, LIMITS.content) };
    }
    case 'ambiguous':
      message = ambiguousMessage(reply, options);
      break;
    case 'list':
      message = listMessage(reply, options);
      break;
    case 'none':
      message = noneMessage(reply, cmd);
      break;
    case 'help':
      message = helpMessage(reply, cmd);
      break;
    case 'smalltalk':
      message = textMessage([smallTalkLine(reply.mood, cmd)]);
      break;
    case 'status':
      message = textMessage(statusLines(reply.status), 'aptcard status');
      break;
    case 'enrichment':
      message = enrichmentMessage(reply);
      break;
    case 'error':
      message = errorMessage(reply.message);
      break;
  }
  return { ...message, components: message.components.slice(0, LIMITS.rows) };
}

/** Autocomplete choices within Discord's limits (25, name and value at most 100 characters). */
export function autocompleteChoices(
  choices: readonly { label: string; value: string }[],
): { name: string; value: string }[] {
  return choices
    .filter((c) => c.value.length > 0 && c.value.length <= LIMITS.choiceValue)
    .slice(0, LIMITS.choices)
    .map((c) => ({ name: plain(c.label, LIMITS.choiceName), value: c.value }));
}
