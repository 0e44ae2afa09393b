/** The terminal chat (Hubot's shell adapter): reads lines, answers through a ConsoleSession. */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { forTerminal } from '../../src/reply/terminal.js';
import type { RunningAdapter } from '../adapter.js';
import { type ConsoleBot, ConsoleSession } from './session.js';

export { type ConsoleBot, ConsoleSession, consoleRequest } from './session.js';

export interface ConsoleOptions {
  input: Readable;
  output: { write(chunk: string): unknown };
  /** Show a prompt and a greeting (a terminal); off on a pipe so output stays clean. */
  interactive: boolean;
}

const QUIT_RE = /^(?:quit|exit|\/quit|\/exit)$/i;

/** The terminal chat (Hubot's shell adapter): no account anywhere, same core as Slack and Discord. */
export function startConsole(bot: ConsoleBot, options: ConsoleOptions): RunningAdapter {
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
      // Answers are computed here, with nothing to wait for on a network: none is dropped.
      rl.close();
      return { dropped: 0 };
    },
  };
}
