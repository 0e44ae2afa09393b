/**
 * The Block Kit renderer: a pure function from the neutral Reply to a Slack message. Every
 * text from a card or a user is escaped (text.ts) and shortened to Block Kit's limits, so
 * Slack never rejects a message and no text can mention anyone or disguise a link. What the
 * user can do next comes from the core (src/reply/next.ts); here it only becomes buttons.
 */

import type { CardView, CompactActor, DeclinedName, Reply } from '../../src/core/types.js';
import { LIST_PAGE_SIZE } from '../../src/reply/build.js';
import { compactFacts } from '../../src/reply/facts.js';
import { HELP_INTRO, helpLines } from '../../src/reply/help.js';
import { MESSAGES } from '../../src/reply/messages.js';
import {
  muteActions,
  type NextAction,
  nextActions,
  openActions,
  pageActions,
  shareAction,
} from '../../src/reply/next.js';
import {
  closestLine,
  declinedLine,
  noneHeadline,
  smallTalkLine,
  statusLines,
  suggestionGroups,
  suggestionName,
} from '../../src/reply/wording.js';
import { CardMemo } from '../shared/card-memo.js';
import {
  actions,
  Buttons,
  clampBlocks,
  context,
  esc,
  type KnownBlock,
  mrkdwn,
  quoted,
  refSection,
  refText,
  section,
} from './blocks.js';
import { cardBlocks, cardFallback, shareRow } from './card.js';
import { BUDGET, LIMITS } from './limits.js';
import { type PictureFiles, picturesMessage } from './picture-blocks.js';
import { notThisActorButton, settingsMessage } from './settings.js';
import { escapeMrkdwn, fitText, truncateEscaped } from './text.js';

export { clampBlocks } from './blocks.js';
export { LIMITS } from './limits.js';

export interface RenderOptions {
  /** How users invoke the bot, for help and hints. Default "/apt". */
  cmd?: string;
  /** Value for a "Share in channel" button (src/reply/share.ts); without it, no button. */
  share?: string;
  /** A pictures reply: the Slack file ids of its uploaded PNGs, shown in image blocks. */
  pictureFiles?: PictureFiles;
}

export interface SlackMessage {
  /** Notification and fallback text (escaped). */
  text: string;
  blocks: KnownBlock[];
}

/** Replies worth a "Share in channel" button: answers, not questions back or errors. */
export function isShareable(reply: Reply): boolean {
  const share = shareAction(reply);
  return share !== undefined && !share.question;
}

function compactText(actor: CompactActor): string {
  const facts = compactFacts(actor).map(esc);
  return truncateEscaped(
    `*${esc(actor.name)}*${facts.length ? ` · ${facts.join(' · ')}` : ''}`,
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

function ambiguousMessage(
  reply: Extract<Reply, { kind: 'ambiguous' }>,
  next: readonly NextAction[],
  buttons: Buttons,
  cmd: string,
): SlackMessage {
  const candidates = openActions(next, 'candidate');
  const shown = candidates.slice(0, BUDGET.candidates);
  const head =
    reply.reason === 'shared-alias'
      ? `${quoted(reply.query)} is a name used for ${reply.candidates.length} different actors. Which one?`
      : `${quoted(reply.query)} could be several actors. Which one?`;
  const more = candidates.length - shown.length;
  const first = reply.candidates[0]?.name ?? '';
  return {
    text: `${quoted(reply.query)} could be several actors`,
    blocks: [
      section(head),
      ...shown.map((o) => refSection(o.ref, o.action, buttons)),
      context(
        `${more > 0 ? `${more} more not shown. ` : ''}Or ask again with a fuller name, e.g. \`${esc(cmd)} ${fitText(first, 150)}\``,
      ),
    ],
  };
}

function listMessage(
  reply: Extract<Reply, { kind: 'list' }>,
  next: readonly NextAction[],
  buttons: Buttons,
  share: string | undefined,
): SlackMessage {
  const page = reply.pageCount > 1 ? ` · page ${reply.page + 1} of ${reply.pageCount}` : '';
  const first = reply.page * LIST_PAGE_SIZE;
  const head = `*${reply.total} actor${reply.total === 1 ? '' : 's'}* match ${quoted(reply.query)}${page}`;
  const items = openActions(next, 'item').map((o, i) => {
    const s = refSection(o.ref, o.action, buttons);
    return { ...s, text: mrkdwn(`${first + i + 1}. ${refText(o.ref)}`) };
  });
  const paging = actions(
    pageActions(next).map((p) =>
      buttons.action(
        p.direction === 'back' ? 'Previous' : `Next (${p.page + 1}/${p.pages})`,
        p.action,
      ),
    ),
  );
  return {
    text: `${reply.total} actors match ${quoted(reply.query)}`,
    blocks: [
      section(head),
      ...items,
      ...(paging ? [paging] : []),
      ...shareRow(next, share, buttons),
    ],
  };
}

function noneMessage(
  reply: Extract<Reply, { kind: 'none' }>,
  next: readonly NextAction[],
  buttons: Buttons,
  cmd: string,
): SlackMessage {
  const head = fitText(noneHeadline(reply), 400);
  if (reply.missingId) {
    return {
      text: head,
      blocks: [section(`${head}. Try a name or alias, or \`${esc(cmd)} help\`.`)],
    };
  }
  const shown = openActions(next, 'suggestion').slice(0, BUDGET.suggestions);
  const row = actions(shown.map((o) => buttons.action(suggestionName(o.ref), o.action)));
  const why = suggestionGroups(shown.map((o) => o.ref))
    .map(
      (g) => `${g.label}: ${g.suggestions.map((s) => fitText(suggestionName(s), 100)).join(', ')}`,
    )
    .join(' · ');
  return {
    text: head,
    blocks: row
      ? [section(`${head}. Did you mean:`), row, context(why)]
      : [section(`${head}. Try another name, or \`${esc(cmd)} help\`.`)],
  };
}

function enrichmentMessage(
  reply: Extract<Reply, { kind: 'enrichment' }>,
  next: readonly NextAction[],
  buttons: Buttons,
  cmd: string,
): SlackMessage {
  const names = reply.actors.map((a) => a.name).join(', ');
  const mutes = muteActions(next);
  return {
    text: `Threat actors mentioned: ${escapeMrkdwn(names)}`,
    blocks: [
      ...openActions(next, 'mentioned').flatMap((o) => {
        const button = buttons.action('Show card', o.action);
        const line = { ...section(compactText(o.ref)), ...(button ? { accessory: button } : {}) };
        const mute = mutes.find((m) => m.ref.uuid === o.ref.uuid);
        const row = mute && actions([notThisActorButton(mute, buttons)]);
        return row ? [line, row] : [line];
      }),
      context(
        `${reply.asked ? 'The threat actors you asked about' : 'Threat actor names spotted in this message'} · \`${esc(cmd)} help\``,
      ),
    ],
  };
}

function build(reply: Reply, options: RenderOptions): SlackMessage {
  const cmd = options.cmd ?? '/apt';
  const buttons = new Buttons();
  const next = nextActions(reply);
  switch (reply.kind) {
    case 'card':
      return {
        text: escapeMrkdwn(cardFallback(reply.card)),
        blocks: cardBlocks(reply.card, reply.part ?? 'first', next, options.share, buttons),
      };
    case 'pictures':
      return picturesMessage(reply, options.pictureFiles);
    case 'ambiguous':
      return ambiguousMessage(reply, next, buttons, cmd);
    case 'list':
      return listMessage(reply, next, buttons, options.share);
    case 'none':
      return noneMessage(reply, next, buttons, cmd);
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
    case 'enrichment':
      return enrichmentMessage(reply, next, buttons, cmd);
    case 'settings':
      return settingsMessage(reply, cmd);
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
    const key = `${reply.part ?? 'first'}\u0000${options.cmd ?? ''}\u0000${options.share ?? ''}`;
    const message = cardMemo.get(reply.card, key, () => finish(build(reply, options)));
    const card =
      reply.closest === undefined ? message : withClosest(message, reply.closest, reply.card);
    return withDeclined(card, reply.declined, options.cmd ?? '/apt');
  }
  const message = finish(build(reply, options));
  return reply.kind === 'enrichment'
    ? withDeclined(message, reply.declined, options.cmd ?? '/apt')
    : message;
}

/** A mention's names not looked up, said under the reply (the memoized card is not changed). */
function withDeclined(
  message: SlackMessage,
  declined: readonly DeclinedName[] | undefined,
  cmd: string,
): SlackMessage {
  if (!declined?.length) return message;
  const line = fitText(declinedLine(declined, cmd), 500);
  return {
    text: truncateEscaped(`${message.text} · ${line}`, BUDGET.fallback),
    blocks: clampBlocks([...message.blocks, context(line)]),
  };
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
  return renderReply({ kind: 'error', message: MESSAGES.failed });
}
