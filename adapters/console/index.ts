/** The terminal chat (Hubot's shell adapter): reads lines, answers through a ConsoleSession. */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { setLogSink } from '../../src/log.js';
import { forScreen } from '../../src/reply/terminal.js';
import type { RunningAdapter } from '../adapter.js';
import { aboveThePrompt } from './log-lines.js';
import { type ConsoleBot, ConsoleSession } from './session.js';

export { type ConsoleBot, ConsoleSession, consoleRequest } from './session.js';

export interface ConsoleOptions {
  input: Readable;
  output: { write(chunk: string): unknown };
  /** Show a prompt and a greeting (a terminal); off on a pipe so output stays clean. */
  interactive: boolean;
  /**
   * The terminal the prompt and line editing use when interactive (default: this process's own
   * stdout, which is `output`); log lines are printed above its prompt.
   */
  terminal?: NodeJS.WritableStream;
  /** On a terminal, log lines in plain words ('text', the default) or as the logger's JSON. */
  logFormat?: 'text' | 'json';
}

const QUIT_RE = /^(?:quit|exit|\/quit|\/exit)$/i;

/** The terminal chat (Hubot's shell adapter): no account anywhere, same core as Slack and Discord. */
export function startConsole(bot: ConsoleBot, options: ConsoleOptions): RunningAdapter {
  const { input, output, interactive } = options;
  const terminal = options.terminal ?? process.stdout;
  const rl = createInterface({
    input,
    // Prompt and line editing only on a real terminal.
    output: interactive ? terminal : undefined,
    terminal: interactive,
  });
  // Card text may hold escape sequences: never let them reach the terminal raw. On a terminal,
  // lines are wrapped to its width (a pipe gets them as they are).
  const write = (s: string) => output.write(`${forScreen(s, output)}\n`);
  const session = new ConsoleSession(bot);
  /** Whether the prompt is on screen, waiting for a line (a log line then goes above it). */
  let prompting = false;
  const prompt = () => {
    rl.prompt();
    prompting = true;
  };
  // Logs move above the prompt only on a real terminal; with stdout on a pipe they stay on stderr.
  const logAbove = interactive && (terminal as { isTTY?: boolean }).isTTY === true;
  if (logAbove) {
    setLogSink(aboveThePrompt(rl, terminal, () => prompting, options.logFormat === 'json'));
  }
  if (interactive) {
    write(
      `aptcard console: ${bot.cardCount} actor${bot.cardCount === 1 ? '' : 's'} loaded. Try "/apt hammer panda", "help", or "quit".`,
    );
    rl.setPrompt('aptcard> ');
    prompt();
  }
  // Answers are async (enrichment asks the state store): one line at a time, in order.
  let queue = Promise.resolve();
  const onLine = async (line: string) => {
    if (!line.trim()) {
      if (interactive) prompt();
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
      prompt();
    }
  };
  const done = new Promise<void>((resolve) => {
    rl.on('line', (line) => {
      prompting = false;
      queue = queue.then(() => onLine(line));
    });
    rl.on('close', () => {
      if (logAbove) setLogSink(undefined);
      void queue.then(resolve);
    });
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
