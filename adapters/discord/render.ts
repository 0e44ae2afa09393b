/**
 * Discord renderer: a neutral Reply in, `{ embeds, components }` out. Pure (no client, no I/O),
 * so every answer kind and every Discord limit is unit-tested without a network.
 *
 * Every text that comes from a card or a user is escaped (markdown, block quotes, mentions), and
 * every length is fitted to Discord's limits by shortening on a word boundary: a long card is
 * shortened, never rejected. What the user can do next comes from the core (src/reply/next.ts);
 * here it only becomes buttons and select menus.
 */
import type { APIEmbed } from 'discord-api-types/v10';
import type { ActorRef, CompactActor, DeclinedName, Reply } from '../../src/core/types.js';
import { encodeAction } from '../../src/reply/actions.js';
import { LIST_PAGE_SIZE } from '../../src/reply/build.js';
import { compactFacts, refFacts } from '../../src/reply/facts.js';
import { HELP_INTRO, helpLines } from '../../src/reply/help.js';
import { type NextAction, nextActions, openActions, pageActions } from '../../src/reply/next.js';
import {
  closestLine,
  declinedLine,
  noneHeadline,
  smallTalkLine,
  statusLines,
  suggestionLines,
  suggestionName,
} from '../../src/reply/wording.js';
import { CardMemo } from '../shared/card-memo.js';
import { pictureFileName } from '../shared/pictures.js';
import { truncate } from '../shared/truncate.js';
import { cardMessage } from './card.js';
import { COLOURS, countryColour } from './colours.js';
import {
  type ActionRow,
  actorPicker,
  type Button,
  buttonRows,
  selectMenu,
  shareButtons,
} from './components.js';
import { fitEmbeds, flex } from './fit.js';
import { LIMITS } from './limits.js';
import { enrichmentButtons, settingsMessage } from './settings.js';
import { escapeText, plain } from './text.js';

export type { ActionRow } from './components.js';

/** A file sent with a message (a picture), shown in an embed as `attachment://<name>`. */
export interface DiscordFile {
  name: string;
  data: Buffer;
  description: string;
}

export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: ActionRow[];
  files?: DiscordFile[];
}

export interface RenderOptions {
  /** Add a "Share" button: the answer is ephemeral and can be posted for everyone. */
  share?: boolean;
  /** How users invoke the bot, for help and hints. */
  cmd?: string;
}

type Message = Omit<DiscordMessage, 'content'>;

/**
 * A card's map and timeline: one embed each showing its image (`attachment://`), the files
 * beside them. A picture that could not be drawn is left out and said so.
 */
function picturesMessage(reply: Extract<Reply, { kind: 'pictures' }>): Message {
  const name = truncate(escapeText(reply.actor.name), 150);
  const embeds: APIEmbed[] = [];
  const files: DiscordFile[] = [];
  const picture = (what: 'map' | 'timeline', title: string, png: Buffer, note?: string) => {
    const file = pictureFileName(reply.actor.name, what);
    files.push({ name: file, data: png, description: plain(title, LIMITS.attachmentDescription) });
    embeds.push({
      title,
      color: COLOURS.brand,
      image: { url: `attachment://${file}` },
      ...(note ? { description: note } : {}),
    });
  };
  const missing = reply.map?.notOnMap ?? [];
  if (reply.map) {
    const note = missing.length
      ? truncate(`Not on the map: ${escapeText(missing.join(', '))}`, 1000)
      : undefined;
    picture('map', `Targets map of ${name}`, reply.map.png, note);
  }
  if (reply.timeline) picture('timeline', `Activity timeline of ${name}`, reply.timeline.png);
  if (embeds.length === 0) {
    return errorMessage(`Could not draw the pictures of ${reply.actor.name}; the log says why.`);
  }
  return { embeds, components: [], files };
}

function refLine(ref: ActorRef, n?: number): string {
  const facts = refFacts(ref).join('; ');
  return `${n === undefined ? '•' : `${n}.`} **${escapeText(ref.name)}**${facts ? ` · ${escapeText(facts)}` : ''}`;
}

function ambiguousMessage(
  reply: Extract<Reply, { kind: 'ambiguous' }>,
  actions: readonly NextAction[],
  options: RenderOptions,
): Message {
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
    ...actorPicker(openActions(actions, 'candidate'), 'candidates', 'Which actor?', 2, seen, (o) =>
      o.ref.country ? `${o.ref.name} (${o.ref.country})` : o.ref.name,
    ),
    ...buttonRows(shareButtons(actions, options.share), 1, seen),
  ];
  return { embeds, components };
}

function listMessage(
  reply: Extract<Reply, { kind: 'list' }>,
  actions: readonly NextAction[],
  options: RenderOptions,
): Message {
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
  const menu = selectMenu('list', 'Open a card…', openActions(actions, 'item'), seen);
  const nav: Button[] = pageActions(actions).map((p) => ({
    label: p.direction === 'back' ? '◀ Previous' : 'Next ▶',
    action: encodeAction(p.action),
  }));
  const components = [
    ...(menu ? [menu] : []),
    ...buttonRows([...nav, ...shareButtons(actions, options.share)], 1, seen),
  ];
  return { embeds, components };
}

function noneMessage(
  reply: Extract<Reply, { kind: 'none' }>,
  actions: readonly NextAction[],
  cmd: string,
): Message {
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
    openActions(actions, 'suggestion'),
    'suggestions',
    'Did you mean…',
    4,
    new Set(),
    (o) => suggestionName(o.ref),
  );
  return { embeds, components };
}

function textMessage(lines: string[], title?: string): Message {
  const embeds = fitEmbeds([
    {
      ...(title ? { title: escapeText(title) } : {}),
      description: flex(lines.map((l) => escapeText(l)).join('\n')),
      color: COLOURS.brand,
    },
  ]);
  return { embeds, components: [] };
}

function helpMessage(reply: Extract<Reply, { kind: 'help' }>, cmd: string): Message {
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
  const facts = compactFacts(actor);
  return `**${escapeText(actor.name)}**${facts.length ? ` · ${escapeText(facts.join('; '))}` : ''}`;
}

function enrichmentMessage(
  reply: Extract<Reply, { kind: 'enrichment' }>,
  actions: readonly NextAction[],
): Message {
  const embeds = fitEmbeds([
    {
      description: flex(reply.actors.map(compactLine).join('\n')),
      color: countryColour(reply.actors.length === 1 ? [reply.actors[0]?.country ?? ''] : []),
    },
  ]);
  return { embeds, components: enrichmentButtons(actions) };
}

function errorMessage(message: string): Message {
  return {
    embeds: fitEmbeds([{ title: 'Sorry', description: escapeText(message), color: COLOURS.error }]),
    components: [],
  };
}

function message(reply: Reply, options: RenderOptions): Message {
  const cmd = options.cmd ?? '/apt';
  const actions = nextActions(reply);
  switch (reply.kind) {
    case 'card':
      return cardMessage(reply, actions, options.share);
    case 'ambiguous':
      return ambiguousMessage(reply, actions, options);
    case 'list':
      return listMessage(reply, actions, options);
    case 'none':
      return noneMessage(reply, actions, cmd);
    case 'help':
      return helpMessage(reply, cmd);
    case 'smalltalk':
      return textMessage([smallTalkLine(reply.mood, cmd)]);
    case 'status':
      return textMessage(statusLines(reply.status), 'aptcard status');
    case 'enrichment':
      return enrichmentMessage(reply, actions);
    case 'settings':
      return settingsMessage(reply, cmd);
    case 'pictures':
      return picturesMessage(reply);
    case 'error':
      return errorMessage(reply.message);
  }
}

/** Card messages are the same for the same prepared card and options: render each once. */
const cardMemo = new CardMemo<DiscordMessage>();

const withinRows = (m: Message): DiscordMessage => ({
  ...m,
  components: m.components.slice(0, LIMITS.rows),
});

/** Render any reply as an embed and its buttons / select menus, within Discord's limits. */
export function renderReply(reply: Reply, options: RenderOptions = {}): DiscordMessage {
  const cmd = options.cmd ?? '/apt';
  if (reply.kind !== 'card') {
    const out = withinRows(message(reply, options));
    return reply.kind === 'enrichment' ? withDeclined(out, reply.declined, cmd) : out;
  }
  const key = `${reply.part ?? 'first'}\u0000${options.cmd ?? ''}\u0000${options.share ? 1 : 0}`;
  const card = cardMemo.get(reply.card, key, () => withinRows(message(reply, options)));
  // A card reached by fuzzy matching says so above it (the memoized card is not changed).
  if (reply.closest === undefined) return withDeclined(card, reply.declined, cmd);
  const line = escapeText(closestLine(reply.closest, reply.card.name));
  return withDeclined({ ...card, content: truncate(line, LIMITS.content) }, reply.declined, cmd);
}

/** A mention's names not looked up, said in the message's text (the card is not changed). */
function withDeclined(
  message: DiscordMessage,
  declined: readonly DeclinedName[] | undefined,
  cmd: string,
): DiscordMessage {
  if (!declined?.length) return message;
  const line = escapeText(declinedLine(declined, cmd));
  const content = message.content ? `${message.content}\n${line}` : line;
  return { ...message, content: truncate(content, LIMITS.content) };
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
