import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Bot, BotRequest } from '../../src/bot.js';
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

/**
 * Answer one console line. Free text is treated as a channel message (automatic enrichment);
 * if it names no actor it is looked up instead, so typing just a name works too.
 */
export function answerLine(bot: Bot, line: string): string | undefined {
  const request = consoleRequest(line);
  let reply = bot.handle(request);
  if (!reply && request.kind === 'message') reply = bot.handle({ ...request, kind: 'mention' });
  return reply ? renderText(reply, '/apt') : undefined;
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
      const answer = answerLine(bot, line);
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
