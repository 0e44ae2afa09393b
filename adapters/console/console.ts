import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Bot, BotRequest } from '../../src/bot.js';
import { encodeAction } from '../../src/reply/actions.js';
import type { BotAction, Reply } from '../../src/reply/model.js';
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
  const text = line.trim();
  if (COMMAND_RE.test(text))
    return { kind: 'command', text: text.replace(COMMAND_RE, ''), platform: 'console' };
  if (MENTION_RE.test(text))
    return { kind: 'mention', text: text.replace(MENTION_RE, ''), platform: 'console' };
  if (/^help$/i.test(text)) return { kind: 'command', text: 'help', platform: 'console' };
  return { kind: 'message', text, platform: 'console', channel: 'console', user: 'you' };
}

const MORE_RE = /^(?:more|next|\/apt\s+more)$/i;

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
  /** The actors of the last ambiguous answer: typing "2" opens the second (no buttons here). */
  private candidates: string[] = [];

  constructor(private readonly bot: Bot) {}

  answer(line: string): string | undefined {
    let reply: Reply | null;
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
      reply = this.bot.handle({ kind: 'action', text: this.more.action, platform: 'console' });
    } else {
      const request = consoleRequest(line);
      reply = this.bot.handle(request);
      if (!reply && request.kind === 'message')
        reply = this.bot.handle({ ...request, kind: 'mention' });
    }
    if (!reply) return undefined;
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
  const write = (s: string) => output.write(`${s}\n`);
  const session = new ConsoleSession(bot);
  if (interactive) {
    write(
      `aptcard console: ${bot.cardCount} actor cards loaded. Try "/apt hammer panda", "help", or "quit".`,
    );
    rl.setPrompt('aptcard> ');
    rl.prompt();
  }
  const done = new Promise<void>((resolve) => {
    rl.on('line', (line) => {
      if (!line.trim()) {
        if (interactive) rl.prompt();
        return;
      }
      if (QUIT_RE.test(line.trim())) {
        rl.close();
        return;
      }
      const answer = session.answer(line);
      if (answer !== undefined) write(answer);
      if (interactive) {
        write('');
        rl.prompt();
      }
    });
    rl.on('close', () => resolve());
  });
  return {
    name: 'console',
    done,
    async stop() {
      rl.close();
    },
  };
}
