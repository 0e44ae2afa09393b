import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { type Bot, type BotRequest, MAX_INPUT_LENGTH } from '../../src/bot.js';
import { encodeAction } from '../../src/reply/actions.js';
import type { BotAction, Reply } from '../../src/reply/model.js';
import { forTerminal } from '../../src/reply/terminal.js';
import { renderText } from '../../src/reply/text.js';
import type { RunningAdapter } from '../adapter.js';

export interface ConsoleOptions {
  input: Readable;
  output: { write(chunk: string): unknown };
  /** Show a prompt and a greeting (a terminal); off on a pipe so output stays clean. */
  interactive: boolean;
}

const COMMAND_RE = /^\/apt(?:\s+|$)/i;
const MENTION_RE = /^@aptcard\b[,:]?\s*/i;
const QUIT_RE = /^(?:quit|exit|\/quit|\/exit)$/i;

/** What a console line means: `/apt q` a command, `@aptcard q` a mention, other text a message. */
export function consoleRequest(line: string): BotRequest {
  const text = line.slice(0, MAX_INPUT_LENGTH).trim();
  if (COMMAND_RE.test(text))
    return { kind: 'command', text: text.replace(COMMAND_RE, ''), platform: 'console' };
  if (MENTION_RE.test(text))
    return { kind: 'mention', text: text.replace(MENTION_RE, ''), platform: 'console' };
  if (/^help$/i.test(text)) return { kind: 'command', text: 'help', platform: 'console' };
  return { kind: 'message', text, platform: 'console', channel: 'console', user: 'you' };
}

const MORE_RE = /^(?:more|next|\/apt\s+more)$/i;
const PICTURES_RE = /^(?:pictures|map|timeline)$/i;

/**
 * The next page of a reply, where buttons would offer one on Slack or Discord (the next page of
 * a list, or of a card's operations), and how many pages there are.
 */
function nextPage(reply: Reply): { action: BotAction; page: number; pages: number } | undefined {
  if (reply.kind === 'list' && reply.page + 1 < reply.pageCount) {
    const page = reply.page + 1;
    return { action: { type: 'list', query: reply.query, page }, page, pages: reply.pageCount };
  }
  const card = reply.kind === 'card' ? reply.card : undefined;
  if (card && card.operationsPage + 1 < card.operationsPageCount) {
    const page = card.operationsPage + 1;
    return {
      action: { type: 'ops', uuid: card.uuid, page },
      page,
      pages: card.operationsPageCount,
    };
  }
  return undefined;
}

/**
 * One console conversation. Free text is treated as a channel message (automatic enrichment);
 * if it names no actor it is looked up instead, so typing just a name works too. "more" shows
 * the next page of the last answer (the console has no buttons).
 */
export class ConsoleSession {
  private more: { action: string; page: number; pages: number } | undefined;
  /** The card shown last, for "pictures". */
  private lastCard: { uuid: string; name: string } | undefined;
  /** The actors of the last ambiguous answer: typing "2" opens the second (no buttons here). */
  private candidates: string[] = [];

  constructor(
    private readonly bot: Bot,
    /** Where "pictures" writes its PNG files. */
    private readonly picturesDir = join(tmpdir(), 'aptcard-pictures'),
  ) {}

  /** Writes the last card's map and timeline where an image viewer can open them. */
  private pictures(): string {
    const card = this.lastCard;
    if (!card) return 'Show a card first, then type "pictures" for its map and timeline.';
    const pictures = this.bot.pictures(card.uuid);
    if (!pictures) return 'That card is no longer in the catalog.';
    const lines: string[] = [];
    try {
      mkdirSync(this.picturesDir, { recursive: true });
      for (const [what, png] of [
        ['map', pictures.map?.png],
        ['timeline', pictures.timeline?.png],
      ] as const) {
        if (!png) {
          lines.push(`Could not draw the ${what} of ${card.name} (see the log).`);
          continue;
        }
        const file = join(this.picturesDir, `${card.uuid}-${what}.png`);
        writeFileSync(file, png);
        lines.push(`${what === 'map' ? 'Targets map' : 'Timeline'} of ${card.name}: ${file}`);
      }
    } catch (err) {
      return `Could not write the pictures to ${this.picturesDir}: ${(err as Error).message}`;
    }
    const missing = pictures.map?.notOnMap ?? [];
    if (missing.length > 0) lines.push(`Not on the map: ${missing.join(', ')}`);
    return lines.join('\n');
  }

  async answer(line: string): Promise<string | undefined> {
    let reply: Reply | null;
    if (PICTURES_RE.test(line.trim())) return this.pictures();
    const pick = /^\s*(\d{1,2})\s*$/.exec(line);
    const chosen = pick ? this.candidates[Number(pick[1]) - 1] : undefined;
    if (chosen) {
      const action = encodeAction({ type: 'show', uuid: chosen });
      reply = action
        ? this.bot.handle({ kind: 'action', text: action, platform: 'console' })
        : null;
    } else if (pick && this.candidates.length) {
      return `Type a number from 1 to ${this.candidates.length} to open one of the actors above.`;
    } else if (MORE_RE.test(line.trim())) {
      if (!this.more) return 'Nothing more to show: "more" pages through the last list or card.';
      reply = await this.bot.answer({
        kind: 'action',
        text: this.more.action,
        platform: 'console',
      });
    } else {
      const request = consoleRequest(line);
      reply = await this.bot.answer(request);
      if (!reply && request.kind === 'message')
        reply = this.bot.handle({ ...request, kind: 'mention' });
    }
    if (!reply) return undefined;
    if (reply.kind === 'card') this.lastCard = { uuid: reply.card.uuid, name: reply.card.name };
    this.candidates = reply.kind === 'ambiguous' ? reply.candidates.map((c) => c.uuid) : [];
    const next = nextPage(reply);
    const action = next && encodeAction(next.action);
    this.more = next && action ? { ...next, action } : undefined;
    const hint =
      this.candidates.length > 1 ? `\n(type 1 to ${this.candidates.length} to open one)` : '';
    const text = renderText(reply, '/apt') + hint;
    return this.more
      ? `${text}\n(type "more" for page ${this.more.page + 1} of ${this.more.pages})`
      : text;
  }
}

/** The terminal chat (Hubot's shell adapter): no account anywhere, same core as Slack and Discord. */
export function startConsole(bot: Bot, options: ConsoleOptions): RunningAdapter {
  const { input, output, interactive } = options;
  const rl = createInterface({
    input,
    // Prompt and line editing only on a real terminal, which is this process's own stdout.
    output: interactive ? process.stdout : undefined,
    terminal: interactive,
  });
  // Card text may hold escape sequences: never let them reach the terminal raw.
  const write = (s: string) => output.write(`${forTerminal(s)}\n`);
  const session = new ConsoleSession(bot);
  if (interactive) {
    write(
      `aptcard console: ${bot.cardCount} actor${bot.cardCount === 1 ? '' : 's'} loaded. Try "/apt hammer panda", "help", or "quit".`,
    );
    rl.setPrompt('aptcard> ');
    rl.prompt();
  }
  // Answers are async (enrichment asks the state store): one line at a time, in order.
  let queue = Promise.resolve();
  const onLine = async (line: string) => {
    if (!line.trim()) {
      if (interactive) rl.prompt();
      return;
    }
    if (QUIT_RE.test(line.trim())) {
      rl.close();
      return;
    }
    const answer = await session.answer(line);
    if (answer !== undefined) write(answer);
    if (interactive) {
      write('');
      rl.prompt();
    }
  };
  const done = new Promise<void>((resolve) => {
    rl.on('line', (line) => {
      queue = queue.then(() => onLine(line));
    });
    rl.on('close', () => void queue.then(resolve));
  });
  return {
    name: 'console',
    done,
    async stop() {
      rl.close();
    },
  };
}
