/**
 * The Block Kit renderer: a pure function from the neutral Reply to a Slack message. Every
 * text from a card or a user is escaped (text.ts) and shortened to Block Kit's limits, so
 * Slack never rejects a message and no text can mention anyone or disguise a link.
 */
import type { types } from '@slack/bolt';
import { encodeAction } from '../../src/reply/actions.js';
import { LIST_PAGE_SIZE } from '../../src/reply/build.js';
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
  suggestionGroups,
  suggestionName,
} from '../../src/reply/wording.js';
import { CardMemo } from '../card-memo.js';
import { ACTION_PREFIX, SHARE_ACTION_ID } from './share.js';
import { escapeMrkdwn, fitText, joinFit, safeLink, truncateEscaped } from './text.js';

type KnownBlock = types.KnownBlock;
type Button = types.Button;

/** Block Kit's limits (https://docs.slack.dev/reference/block-kit). */
export const LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  actionsElements: 25,
  contextElements: 10,
  contextText: 3000,
} as const;

/** Editorial budgets, tighter than the limits so a card stays readable. */
const BUDGET = {
  field: 900,
  aliases: 1500,
  descriptionSections: 3,
  opTitle: 300,
  opText: 900,
  opSources: 5,
  counterOperations: 3,
  candidates: 20,
  suggestions: 10,
  related: 20,
  /** The notification text that goes with the blocks. */
  fallback: 1000,
} as const;

export interface RenderOptions {
  /** How users invoke the bot, for help and hints. Default "/apt". */
  cmd?: string;
  /** Value for a "Share in channel" button (see share.ts); without it, no button. */
  share?: string;
}

export interface SlackMessage {
  /** Notification and fallback text (escaped). */
  text: string;
  blocks: KnownBlock[];
}

/** Replies worth a "Share in channel" button: answers, not questions back or errors. */
export function isShareable(reply: Reply): boolean {
  return reply.kind === 'card' || reply.kind === 'list';
}

function mrkdwn(text: string, max: number = LIMITS.sectionText): types.MrkdwnElement {
  // verbatim: Slack must not turn plain words into links or mentions.
  return { type: 'mrkdwn', text: truncateEscaped(text, max) || ' ', verbatim: true };
}

function plain(raw: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: fitText(raw, max) || ' ', emoji: false };
}

function section(text: string): types.SectionBlock {
  return { type: 'section', text: mrkdwn(text) };
}

function context(text: string): types.ContextBlock {
  return { type: 'context', elements: [mrkdwn(text, LIMITS.contextText)] };
}

const esc = escapeMrkdwn;

/** Buttons numbered so each action_id is unique within the message. */
class Buttons {
  private n = 0;

  action(label: string, action: BotAction, style?: 'primary'): Button | undefined {
    // Slack's values hold any query (500 characters at most) itself: nothing to expire.
    const value = encodeAction(action, LIMITS.buttonValue);
    if (!value) return undefined;
    return this.make(label, value, `${ACTION_PREFIX}go.${this.n++}`, style);
  }

  share(value: string): Button {
    return this.make('Share in channel', value, SHARE_ACTION_ID, 'primary');
  }

  private make(label: string, value: string, actionId: string, style?: 'primary'): Button {
    return {
      type: 'button',
      text: plain(label, LIMITS.buttonText),
      action_id: actionId,
      value: value.slice(0, LIMITS.buttonValue),
      ...(style ? { style } : {}),
    };
  }
}

function actions(elements: (Button | undefined)[]): types.ActionsBlock | undefined {
  const buttons = elements.filter((b): b is Button => b !== undefined);
  if (buttons.length === 0) return undefined;
  return { type: 'actions', elements: buttons.slice(0, LIMITS.actionsElements) };
}

function quoted(query: string): string {
  return `"${fitText(query, 200)}"`;
}

function refText(ref: ActorRef): string {
  const bits = [
    ref.country ? esc(ref.country) : '',
    ref.aliases.length ? `aka ${ref.aliases.map(esc).join(', ')}` : '',
    ref.sources?.length ? `sources: ${ref.sources.map(esc).join(', ')}` : '',
  ].filter(Boolean);
  return truncateEscaped(
    `*${esc(ref.name)}*${bits.length ? ` · ${bits.join(' · ')}` : ''}`,
    LIMITS.sectionText,
  );
}

function refSection(ref: ActorRef, buttons: Buttons): types.SectionBlock {
  const button = buttons.action('Show card', { type: 'show', uuid: ref.uuid });
  return { ...section(refText(ref)), ...(button ? { accessory: button } : {}) };
}

/** Bold a cross-linked name unless its text would break the bold markers. */
function strong(text: string): string {
  const e = esc(text);
  return /[*\n]/.test(text) || !text.trim() ? e : `*${e}*`;
}

function paragraph(segments: readonly TextSegment[]): string {
  return segments.map((s) => (s.kind === 'link' ? strong(s.text) : esc(s.text))).join('');
}

/** Description paragraphs packed into a few sections, shortened past the budget. */
function descriptionBlocks(card: CardView): KnownBlock[] {
  const texts: string[] = [];
  let current = '';
  for (const p of card.description.map(paragraph).filter((t) => t.trim())) {
    const joined = current ? `${current}\n\n${p}` : p;
    if (joined.length <= LIMITS.sectionText) {
      current = joined;
      continue;
    }
    if (current) texts.push(current);
    current = p;
  }
  if (current) texts.push(current);
  const kept = texts.slice(0, BUDGET.descriptionSections);
  if (texts.length > kept.length && kept.length > 0) {
    const last = kept.length - 1;
    kept[last] = truncateEscaped(`${kept[last]} …`, LIMITS.sectionText);
  }
  return kept.map((t) => section(truncateEscaped(t, LIMITS.sectionText)));
}

function sourcesLine(sources: string[], max: number): string {
  const links = sources.map((s) => safeLink(s) ?? fitText(s, 80)).filter(Boolean);
  return joinFit(links.slice(0, BUDGET.opSources), ' · ', max);
}

function operationText(op: OperationView): string {
  const head = [op.date ? `*${esc(op.date)}*` : '', fitText(op.title, BUDGET.opTitle)]
    .filter(Boolean)
    .join('  ');
  const body = op.text ? fitText(op.text, BUDGET.opText) : '';
  const top = [head, body].filter(Boolean).join('\n');
  // Links are never cut in half: whole links that fit, then "+N more".
  const room = LIMITS.sectionText - top.length - 1;
  const links = op.sources.length && room > 20 ? sourcesLine(op.sources, room) : '';
  return [top, links].filter(Boolean).join('\n') || ' ';
}

/** Techniques by tactic (top ones first, "+N more") and software, with the ATT&CK group page. */
function techniquesBlock(card: CardView): KnownBlock | undefined {
  const view = card.techniques;
  const lines: string[] = [];
  if (view.total > 0) {
    const page = view.attackUrl ? safeLink(view.attackUrl) : undefined;
    lines.push(`*ATT&amp;CK techniques* (${view.total})${page ? ` · ${page}` : ''}`);
    const summary = summarizeTechniques(view);
    for (const l of summary.lines) {
      const more = l.more > 0 ? ` (+${l.more})` : '';
      lines.push(`• *${esc(l.tactic)}*: ${fitText(l.items.join(', '), BUDGET.field)}${more}`);
    }
    if (summary.more > 0) lines.push(`+${summary.more} more`);
  }
  if (card.software.length) {
    const names = card.software.map((sw) => esc(sw.id ? `${sw.name} (${sw.id})` : sw.name));
    lines.push(`*Software* (${card.software.length}): ${joinFit(names, ', ', BUDGET.field)}`);
  }
  return lines.length ? section(lines.join('\n')) : undefined;
}

/** The reference count and the first few, each labelled, its link showing the real host. */
function referencesBlock(card: CardView): KnownBlock | undefined {
  if (card.references.length === 0) return undefined;
  const links = card.references.slice(0, REFERENCES_SHOWN).flatMap((r) => {
    const link = safeLink(r.url);
    if (!link) return [];
    return [r.label ? `${fitText(r.label, BUDGET.opTitle)} (${link})` : link];
  });
  const more = card.references.length - links.length;
  return context(
    joinFit([`References (${card.references.length}):`, ...links], ' · ', LIMITS.contextText - 20) +
      (more > 0 ? ` · +${more} more` : ''),
  );
}

function cardBlocks(card: CardView, buttons: Buttons, options: RenderOptions): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  const title = [card.name, ...card.otherNames].join(', ');
  blocks.push({ type: 'header', text: plain(title, LIMITS.headerText) });

  const facts: [string, string][] = [
    ['Country', factText(card, 'Country')],
    ['Sponsor', factText(card, 'Sponsor')],
    ['Motivation', card.motivations.join(', ')],
    ['First seen', card.firstSeen],
    ['Sectors', card.sectors.join(', ')],
    ['Targets', card.targets.join(', ')],
    ['Tools', card.tools.join(', ')],
  ];
  const fields = facts
    .filter(([, value]) => value.trim())
    .slice(0, LIMITS.fields)
    .map(([label, value]) =>
      mrkdwn(`*${label}*\n${fitText(value, BUDGET.field)}`, LIMITS.fieldText),
    );
  if (fields.length) blocks.push({ type: 'section', fields });

  if (card.aliases.length) {
    const aliases = card.aliases.map((a) =>
      a.vendor ? `${esc(a.name)} (${esc(a.vendor)})` : esc(a.name),
    );
    blocks.push(section(`*Aliases*\n${joinFit(aliases, ', ', BUDGET.aliases)}`));
  }

  blocks.push(...descriptionBlocks(card));
  const attack = techniquesBlock(card);
  if (attack) blocks.push(attack);

  if (card.operationsTotal > 0) {
    blocks.push({ type: 'divider' });
    const page =
      card.operationsPageCount > 1
        ? ` · page ${card.operationsPage + 1} of ${card.operationsPageCount}`
        : '';
    blocks.push(section(`*Operations* (${card.operationsTotal}, newest first${page})`));
    for (const op of card.operations) blocks.push(section(operationText(op)));
    const paging = actions([
      card.operationsPage > 0
        ? buttons.action('Newer operations', {
            type: 'ops',
            uuid: card.uuid,
            page: card.operationsPage - 1,
          })
        : undefined,
      card.operationsPage + 1 < card.operationsPageCount
        ? buttons.action(
            `More operations (${card.operationsPage + 2}/${card.operationsPageCount})`,
            { type: 'ops', uuid: card.uuid, page: card.operationsPage + 1 },
          )
        : undefined,
    ]);
    if (paging) blocks.push(paging);
  }

  if (card.counterOperations.length) {
    const lines = card.counterOperations.slice(0, BUDGET.counterOperations).map((op) => {
      const head = [op.date ? `*${esc(op.date)}*` : '', fitText(op.title, BUDGET.opTitle)]
        .filter(Boolean)
        .join('  ');
      const link = op.sources.map((s) => safeLink(s)).find(Boolean);
      return `• ${head}${link ? ` ${link}` : ''}`;
    });
    const more = card.counterOperations.length - lines.length;
    blocks.push(
      section(
        joinFit(
          [`*Counter operations* (${card.counterOperations.length})`, ...lines],
          '\n',
          LIMITS.sectionText - 20,
        ) + (more > 0 ? `\n+${more} more` : ''),
      ),
    );
  }

  if (card.related.length) {
    const shown = card.related.slice(0, BUDGET.related);
    const row = actions(
      shown.map((r) =>
        buttons.action(r.subgroup ? `${r.name} (subgroup)` : r.name, {
          type: 'show',
          uuid: r.uuid,
        }),
      ),
    );
    if (row) {
      const more = card.related.length - shown.length;
      blocks.push(context(`Related actors${more > 0 ? ` (${more} more not shown)` : ''}:`), row);
    }
  }

  if (options.share) {
    const row = actions([buttons.share(options.share)]);
    if (row) blocks.push(row);
  }

  if (card.alsoNamed?.length) {
    blocks.push(
      context(`That name is also used for: ${card.alsoNamed.map((r) => esc(r.name)).join(', ')}`),
    );
  }
  if (card.sources?.length) {
    const links = card.sources.map((s) => (s.url ? `<${s.url}|${esc(s.label)}>` : esc(s.label)));
    blocks.push(context(`Sources: ${links.join(' · ')}`));
  }

  const references = referencesBlock(card);
  if (references) blocks.push(references);

  const footer = [
    `UUID ${esc(card.uuid)}`,
    card.lastModified ? `source last modified ${esc(card.lastModified)}` : '',
  ].filter(Boolean);
  blocks.push(context(footer.join(' · ')));
  return blocks;
}

function cardFallback(card: CardView): string {
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

function compactText(actor: CompactActor): string {
  const bits = [
    actor.country ? esc(actor.country) : '',
    actor.topAliases.length ? `aka ${actor.topAliases.map(esc).join(', ')}` : '',
    actor.firstSeen ? `first seen ${esc(actor.firstSeen)}` : '',
  ].filter(Boolean);
  return truncateEscaped(
    `*${esc(actor.name)}*${bits.length ? ` · ${bits.join(' · ')}` : ''}`,
    LIMITS.sectionText,
  );
}

function helpBlocks(topic: 'usage' | 'empty', cmd: string): KnownBlock[] {
  const intro =
    topic === 'empty' ? `Usage: \`${esc(`${cmd} <actor name or filters>`)}\`` : esc(HELP_INTRO);
  return [
    section(intro),
    ...helpLines(cmd).map((s) =>
      section(`*${esc(s.title)}*\n${s.lines.map((l) => `• ${esc(l)}`).join('\n')}`),
    ),
  ];
}

/**
 * Keep a message within Slack's 50 blocks: the renderers stay well below it by construction;
 * this is the last guard, keeping the first blocks and the final (footer) block.
 */
export function clampBlocks(blocks: KnownBlock[], max: number = LIMITS.blocks): KnownBlock[] {
  if (blocks.length <= max) return blocks;
  const last = blocks[blocks.length - 1];
  return last ? [...blocks.slice(0, max - 1), last] : blocks.slice(0, max);
}

function build(reply: Reply, options: RenderOptions): SlackMessage {
  const cmd = options.cmd ?? '/apt';
  const buttons = new Buttons();
  const share = () => {
    if (!options.share) return [];
    const row = actions([buttons.share(options.share)]);
    return row ? [row] : [];
  };
  switch (reply.kind) {
    case 'card':
      return {
        text: escapeMrkdwn(cardFallback(reply.card)),
        blocks: cardBlocks(reply.card, buttons, options),
      };
    case 'ambiguous': {
      const shown = reply.candidates.slice(0, BUDGET.candidates);
      const head =
        reply.reason === 'shared-alias'
          ? `${quoted(reply.query)} is a name used for ${reply.candidates.length} different actors. Which one?`
          : `${quoted(reply.query)} could be several actors. Which one?`;
      const more = reply.candidates.length - shown.length;
      const first = reply.candidates[0]?.name ?? '';
      return {
        text: `${quoted(reply.query)} could be several actors`,
        blocks: [
          section(head),
          ...shown.map((c) => refSection(c, buttons)),
          context(
            `${more > 0 ? `${more} more not shown. ` : ''}Or ask again with a fuller name, e.g. \`${esc(cmd)} ${fitText(first, 150)}\``,
          ),
        ],
      };
    }
    case 'list': {
      const page = reply.pageCount > 1 ? ` · page ${reply.page + 1} of ${reply.pageCount}` : '';
      const first = reply.page * LIST_PAGE_SIZE;
      const head = `*${reply.total} actor${reply.total === 1 ? '' : 's'}* match ${quoted(reply.query)}${page}`;
      const paging = actions([
        reply.page > 0
          ? buttons.action('Previous', { type: 'list', query: reply.query, page: reply.page - 1 })
          : undefined,
        reply.page + 1 < reply.pageCount
          ? buttons.action(`Next (${reply.page + 2}/${reply.pageCount})`, {
              type: 'list',
              query: reply.query,
              page: reply.page + 1,
            })
          : undefined,
      ]);
      return {
        text: `${reply.total} actors match ${quoted(reply.query)}`,
        blocks: [
          section(head),
          ...reply.items.map((c, i) => {
            const s = refSection(c, buttons);
            return { ...s, text: mrkdwn(`${first + i + 1}. ${refText(c)}`) };
          }),
          ...(paging ? [paging] : []),
          ...share(),
        ],
      };
    }
    case 'none': {
      const head = fitText(noneHeadline(reply), 400);
      if (reply.missingId) {
        return {
          text: head,
          blocks: [section(`${head}. Try a name or alias, or \`${esc(cmd)} help\`.`)],
        };
      }
      const shown = reply.suggestions.slice(0, BUDGET.suggestions);
      const row = actions(
        shown.map((s) => buttons.action(suggestionName(s), { type: 'show', uuid: s.uuid })),
      );
      const why = suggestionGroups(shown)
        .map(
          (g) =>
            `${g.label}: ${g.suggestions.map((s) => fitText(suggestionName(s), 100)).join(', ')}`,
        )
        .join(' · ');
      return {
        text: head,
        blocks: row
          ? [section(`${head}. Did you mean:`), row, context(why)]
          : [section(`${head}. Try another name, or \`${esc(cmd)} help\`.`)],
      };
    }
    case 'smalltalk': {
      const line = fitText(smallTalkLine(reply.mood, cmd), 400);
      return { text: line, blocks: [section(line)] };
    }
    case 'status': {
      const lines = statusLines(reply.status).map((l) => fitText(l, 1000));
      return { text: lines[0] ?? '', blocks: [section(lines.join('\n'))] };
    }
    case 'help':
      return {
        text: esc(reply.topic === 'empty' ? `Usage: ${cmd} <actor name or filters>` : HELP_INTRO),
        blocks: helpBlocks(reply.topic, cmd),
      };
    case 'enrichment': {
      const names = reply.actors.map((a) => a.name).join(', ');
      return {
        text: `Threat actors mentioned: ${escapeMrkdwn(names)}`,
        blocks: [
          ...reply.actors.map((a) => {
            const button = buttons.action('Show card', { type: 'show', uuid: a.uuid });
            return { ...section(compactText(a)), ...(button ? { accessory: button } : {}) };
          }),
          context(`Threat actor names spotted in this message · \`${esc(cmd)} help\``),
        ],
      };
    }
    case 'error':
      return {
        text: `Sorry: ${escapeMrkdwn(reply.message)}`,
        blocks: [section(`:warning: ${fitText(reply.message, 1000)}`)],
      };
  }
}

/** Render a reply as a Slack message: blocks within every Block Kit limit, plus fallback text. */
export function renderReply(reply: Reply, options: RenderOptions = {}): SlackMessage {
  if (reply.kind === 'card') {
    const key = `${options.cmd ?? ''}\u0000${options.share ?? ''}`;
    const message = cardMemo.get(reply.card, key, () => finish(build(reply, options)));
    return reply.closest === undefined ? message : withClosest(message, reply.closest, reply.card);
  }
  return finish(build(reply, options));
}

/** Card messages are the same for the same prepared card and options: render each once. */
const cardMemo = new CardMemo<SlackMessage>();

/** A card reached by fuzzy matching says so above it (the memoized card is not changed). */
function withClosest(
  message: SlackMessage,
  closest: { query: string; name: string },
  card: CardView,
): SlackMessage {
  const line = fitText(closestLine(closest, card.name), 500);
  return {
    text: truncateEscaped(`${line} · ${message.text}`, BUDGET.fallback),
    blocks: clampBlocks([context(`:mag: ${line}`), ...message.blocks]),
  };
}

function finish(message: SlackMessage): SlackMessage {
  return {
    text: truncateEscaped(message.text, BUDGET.fallback),
    blocks: clampBlocks(message.blocks),
  };
}

/** The reply for an error the adapter itself caught: a short apology, details in the log. */
export function errorMessage(): SlackMessage {
  return renderReply({ kind: 'error', message: 'Sorry, something went wrong answering that.' });
}
