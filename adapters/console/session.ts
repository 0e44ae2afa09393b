/**
 * One console conversation: a line in, the answer out, with "more", numbers, and the moves of a
 * card ("full", "techniques", "sources", "pictures").
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Bot, isQuestion, MAX_INPUT_LENGTH } from '../../src/bot.js';
import type { BotRequest, OtherPart, Reply } from '../../src/core/types.js';
import { encodeAction } from '../../src/reply/actions.js';
import { LIST_PAGE_SIZE } from '../../src/reply/build.js';
import { MESSAGES } from '../../src/reply/messages.js';
import {
  type NextAction,
  nextActions,
  openActions,
  pageActions,
  partActions,
} from '../../src/reply/next.js';
import { renderText } from '../../src/reply/text.js';

/** What the console needs from the core. */
export type ConsoleBot = Pick<Bot, 'answer' | 'handle' | 'pictures' | 'cardCount'> &
  Partial<Pick<Bot, 'library'>>;

const COMMAND_RE = /^\/apt(?:\s+|$)/i;
const MENTION_RE = /^@aptcard\b[,:]?\s*/i;

/**
 * What a console line means: `/apt q` a command, `@aptcard q` or a question ("who is APT 21?")
 * a mention, other text a message. The console is one person talking to the bot: a question
 * is the bot's to answer with the card, each time (as a channel message it got the short line
 * once, then the card).
 */
export function consoleRequest(line: string): BotRequest {
  const text = line.slice(0, MAX_INPUT_LENGTH).trim();
  if (COMMAND_RE.test(text))
    return { kind: 'command', text: text.replace(COMMAND_RE, ''), platform: 'console' };
  if (MENTION_RE.test(text))
    return { kind: 'mention', text: text.replace(MENTION_RE, ''), platform: 'console' };
  if (/^help$/i.test(text)) return { kind: 'command', text: 'help', platform: 'console' };
  if (isQuestion(text)) return { kind: 'mention', text, platform: 'console' };
  return { kind: 'message', text, platform: 'console', channel: 'console', user: 'you' };
}

/** What `help` adds in the console: its words for what Slack and Discord make buttons. */
const CONSOLE_WORDS = [
  'In this console:',
  "  more: the next page of a list or of a card's operations",
  '  a number: open the actor listed with it',
  '  full, techniques, sources: those parts of the last card',
  '  pictures: its targets map and timeline as PNG files',
  '  quit: leave',
].join('\n');

const MORE_RE = /^(?:more|next|ops|operations|\/apt\s+more)$/i;
const PICTURES_RE = /^(?:pictures|map|timeline)$/i;
/** The console's words for the other parts of a card. */
const PART_WORDS: Record<string, OtherPart> = {
  full: 'full',
  techniques: 'techniques',
  sources: 'sources',
};

/**
 * The line under a card saying what can be typed next, from the moves the core offers:
 * (type "full" for the full card, "more" for operations page 1 of 18, "techniques", ...).
 */
function cardHint(next: readonly NextAction[]): string {
  const words: string[] = [];
  for (const move of next) {
    if (move.kind === 'part') {
      if (move.part === 'full') words.push('"full" for the full card');
      else if (move.part === 'pictures') words.push('"pictures" for the map and timeline');
      else words.push(`"${move.part}"`);
    } else if (move.kind === 'page' && move.of === 'operations' && move.direction === 'forward') {
      words.push(`"more" for operations page ${move.page + 1} of ${move.pages}`);
    }
  }
  return words.length ? `(type ${words.join(', ')})` : '';
}

/**
 * One console conversation. A line that is a name is looked up; other free text is treated as
 * a channel message (automatic enrichment), and if it names no actor it is looked up too. "more" shows
 * the next page of the last answer (the console has no buttons).
 */
export class ConsoleSession {
  private more: { action: string; page: number; pages: number } | undefined;
  /** The other parts of the card shown last, by the console's word for them. */
  private parts = new Map<OtherPart, string>();
  /** The card shown last, for "pictures" (and the card the kept parts belong to). */
  private lastCard: { uuid: string; name: string } | undefined;
  /**
   * The actors of the last ambiguous answer or list, by the number shown beside them: typing
   * "2" opens the second (no buttons here). A list's later pages go on numbering (11, 12, ...).
   */
  private numbered = new Map<number, string>();
  /** The numbers the last reply showed (a list's page, or the choices). */
  private onScreen: number[] = [];

  constructor(
    private readonly bot: ConsoleBot,
    /**
     * Where "pictures" writes its PNG files. Default: a folder of this session's own, made on
     * first use (mkdtemp: private to this user), not a fixed name in the shared temp folder,
     * where another user could have put a link to a file of yours.
     */
    private picturesDir?: string,
  ) {}

  /** Writes the last card's map and timeline where an image viewer can open them. */
  private async pictures(): Promise<string> {
    const card = this.lastCard;
    if (!card) return 'Show a card first, then type "pictures" for its map and timeline.';
    const pictures = await this.bot.pictures(card.uuid);
    if (!pictures) return MESSAGES.cardGone;
    const lines: string[] = [];
    let dir = this.picturesDir;
    try {
      if (dir) mkdirSync(dir, { recursive: true });
      else dir = this.picturesDir = mkdtempSync(join(tmpdir(), 'aptcard-pictures-'));
      for (const [what, png] of [
        ['map', pictures.map?.png],
        ['timeline', pictures.timeline?.png],
      ] as const) {
        if (!png) {
          lines.push(`Could not draw the ${what} of ${card.name} (see the log).`);
          continue;
        }
        const file = join(dir, `${card.uuid}-${what}.png`);
        writeFileSync(file, png);
        lines.push(`${what === 'map' ? 'Targets map' : 'Timeline'} of ${card.name}: ${file}`);
      }
    } catch (err) {
      const where = dir ?? `a new folder in ${tmpdir()}`;
      return `Could not write the pictures to ${where}: ${(err as Error).message}`;
    }
    const missing = pictures.map?.notOnMap ?? [];
    if (missing.length > 0) lines.push(`Not on the map: ${missing.join(', ')}`);
    return lines.join('\n');
  }

  /**
   * The console has no buttons: what the reply offers becomes words. The next page is "more",
   * a candidate its number, the other parts of a card "full", "techniques" and "sources"; a
   * part of the same card keeps the words of the parts it does not offer itself.
   */
  /** False when the reply offers nothing, and the last list and card stay as they were. */
  private remember(reply: Reply, next: readonly NextAction[], laterPage: boolean): boolean {
    const first = reply.kind === 'list' ? reply.page * LIST_PAGE_SIZE : 0;
    const shown =
      reply.kind === 'list' ? openActions(next, 'item') : openActions(next, 'candidate');
    const forward = pageActions(next).find((p) => p.direction === 'forward');
    // An answer with nothing to act on ("No card", help) leaves the last list and card as
    // they were: "3", "more" and "full" still speak of them.
    if (reply.kind !== 'card' && reply.kind !== 'list' && shown.length === 0 && !forward)
      return false;
    // A card opened from a list keeps the list's numbers; a later page adds its own to them.
    if (reply.kind === 'list' || shown.length > 0) {
      if (!laterPage) this.numbered = new Map();
      for (const [i, o] of shown.entries()) this.numbered.set(first + i + 1, o.ref.uuid);
    }
    this.onScreen = shown.map((_, i) => first + i + 1);
    const action = forward && encodeAction(forward.action);
    this.more =
      forward && action ? { action, page: forward.page, pages: forward.pages } : undefined;
    if (reply.kind === 'list') {
      // "pictures" and "sources" speak of the card on screen: after a list there is none.
      this.parts.clear();
      this.lastCard = undefined;
      return true;
    }
    if (reply.kind !== 'card') return true;
    if (this.lastCard?.uuid !== reply.card.uuid) this.parts.clear();
    this.lastCard = { uuid: reply.card.uuid, name: reply.card.name };
    for (const move of partActions(next)) {
      if (move.part === 'pictures') continue;
      const encoded = encodeAction(move.action);
      if (encoded) this.parts.set(move.part, encoded);
    }
    return true;
  }

  /** "1 or 2", "1 to 20": these numbers (a list's, or those on screen). */
  private numberRange(numbers: readonly number[] = [...this.numbered.keys()]): string {
    const [low, high] = [Math.min(...numbers), Math.max(...numbers)];
    return `${low} ${high - low === 1 ? 'or' : 'to'} ${high}`;
  }

  async answer(line: string): Promise<string | undefined> {
    let reply: Reply | null;
    let laterPage = false;
    if (PICTURES_RE.test(line.trim())) return await this.pictures();
    const pick = /^\s*(\d{1,3})\s*$/.exec(line);
    const chosen = pick ? this.numbered.get(Number(pick[1])) : undefined;
    if (chosen) {
      const action = encodeAction({ type: 'show', uuid: chosen });
      reply = action
        ? this.bot.handle({ kind: 'action', text: action, platform: 'console' })
        : null;
    } else if (pick && this.numbered.size) {
      const range = this.numberRange();
      return `Type ${this.numbered.size === 2 ? range : `a number from ${range}`} to open one of the actors above.`;
    } else if (MORE_RE.test(line.trim())) {
      if (!this.more) return 'Nothing more to show: "more" pages through the last list or card.';
      laterPage = true;
      reply = await this.bot.answer({
        kind: 'action',
        text: this.more.action,
        platform: 'console',
      });
    } else if (PART_WORDS[line.trim().toLowerCase()]) {
      const part = PART_WORDS[line.trim().toLowerCase()] as OtherPart;
      const action = this.parts.get(part);
      if (!action) {
        return this.parts.size > 0 && this.lastCard
          ? `Nothing to show there for ${this.lastCard.name}.`
          : `Show a card first, then type "${line.trim().toLowerCase()}".`;
      }
      reply = await this.bot.answer({ kind: 'action', text: action, platform: 'console' });
    } else {
      let request = consoleRequest(line);
      // A line that is just a name (or several actors') asks for that card, every time: as
      // a channel message it would get the short enrichment line once, then (the cooldown)
      // the card.
      if (request.kind === 'message' && this.bot.library?.current.lookup(request.text).length)
        request = { ...request, kind: 'mention' };
      reply = await this.bot.answer(request);
      if (request.kind === 'message') {
        // One person's conversation: a sentence gets a line for every actor it names, every
        // time. The channel's cooldown (an actor's line at most once a while in a shared
        // channel) had the same sentence name different actors from one time to the next.
        const asked = this.bot.handle({ ...request, kind: 'mention' });
        const fewer =
          reply?.kind === 'enrichment' &&
          asked?.kind === 'enrichment' &&
          asked.actors.length > reply.actors.length;
        if (!reply || fewer) reply = asked;
        // The names it did not look up, said as a mention's reply says them.
        else if (reply.kind === 'enrichment' && asked && 'declined' in asked && asked.declined)
          reply = { ...reply, declined: asked.declined };
      }
    }
    if (!reply) return undefined;
    const next = nextActions(reply);
    const offered = this.remember(reply, next, laterPage);
    const text = renderText(reply, '/apt');
    if (reply.kind === 'help' && reply.topic !== 'empty') return `${text}\n\n${CONSOLE_WORDS}`;
    if (reply.kind === 'card') {
      const hint = cardHint(next);
      return hint ? `${text}\n\n${hint}` : text;
    }
    if (!offered) return text;
    const hint =
      this.onScreen.length > 1 ? `\n(type ${this.numberRange(this.onScreen)} to open one)` : '';
    return this.more
      ? `${text}${hint}\n(type "more" for page ${this.more.page + 1} of ${this.more.pages})`
      : text + hint;
  }
}
