/**
 * The console on a terminal: answers word-wrapped to its width (a pipe gets them unwrapped), and
 * log lines printed above the prompt in plain words, the prompt and the half-typed line drawn
 * again after them; with stdout on a pipe, logs stay where they were.
 */
import { PassThrough, Readable, Writable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startConsole } from '../../adapters/console/index.js';
import { plainLogLine } from '../../adapters/console/log-lines.js';
import { Bot } from '../../src/bot.js';
import { Library } from '../../src/catalog/library.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { log, notice } from '../../src/log.js';
import { SearchIndex } from '../../src/search/index.js';
import { BUSY, COPPER, cardsFolder } from '../helpers/cards.js';

const { dir, cleanup } = cardsFolder({}, [COPPER, BUSY]);
afterAll(cleanup);
const bot = new Bot(new Library(new SearchIndex(loadCatalog(dir, { cacheDir: false }))));

/** A stream that keeps what is written; `tty` makes it look like a terminal of `columns`. */
function screen(tty: boolean, columns = 44) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  }) as Writable & { isTTY?: boolean; columns?: number };
  if (tty) Object.assign(stream, { isTTY: true, columns });
  return { stream, text: () => chunks.join('') };
}

const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));
const level = log.level;
afterEach(() => {
  log.level = level;
});

describe('console output', () => {
  it('is word-wrapped to the terminal width, and left whole on a pipe', async () => {
    const run = async (tty: boolean) => {
      const out = screen(tty);
      const input = Readable.from(['/apt copper lantern\n', 'full\n']);
      await startConsole(bot, { input, output: out.stream, interactive: false }).done;
      return out.text();
    };
    const piped = await run(false);
    const onTerminal = await run(true);
    expect(widest(piped)).toBeGreaterThan(44);
    // Only a word longer than the line may stand over it (a URL, a UUID).
    for (const line of onTerminal.split('\n')) {
      if ([...line].length > 44) expect(line.trim()).not.toMatch(/\s/);
    }
    expect(onTerminal.replace(/\s+/g, ' ')).toBe(piped.replace(/\s+/g, ' '));
  });
});

/** An interactive console on an 80-column terminal, with `typed` half-typed at its prompt. */
async function typingAtPrompt(typed: string) {
  const input = new PassThrough();
  const terminal = screen(true, 80);
  const out = screen(true, 80);
  const running = startConsole(bot, {
    input,
    output: out.stream,
    interactive: true,
    terminal: terminal.stream,
  });
  input.write(typed);
  await new Promise((resolve) => setImmediate(resolve));
  return { input, terminal, running };
}

describe('log lines on an interactive console', () => {
  it('are printed above the prompt in plain words, and the typed text is drawn again', async () => {
    const { input, terminal, running } = await typingAtPrompt('hamm');
    log.level = 'warn';
    const before = terminal.text().length;
    log.warn({ actor: 'Copper Lantern' }, 'could not draw the map; the card goes out without it');
    const after = terminal.text().slice(before);
    // Clear the line, go to its start, the warning, then the prompt with what was typed.
    expect(after).toBe(
      '\u001b[2K\u001b[1Gwarning: could not draw the map; the card goes out without it (actor: Copper Lantern)\n' +
        after.slice(after.indexOf('\n') + 1),
    );
    expect(after.slice(after.indexOf('\n') + 1)).toContain('aptcard> hamm');
    input.end();
    await running.done;
    // Closed: the logger has its own destination back (this line goes to the test's stderr).
    const closed = terminal.text().length;
    log.warn('console test: a warning after the console closed, on stderr as it should be');
    expect(terminal.text().length).toBe(closed);
  });

  it('a notice for the person (not a log record) goes above the prompt too, and to stderr once closed', async () => {
    const { input, terminal, running } = await typingAtPrompt('hamm');
    let fallback = '';
    const stderr = { write: (chunk: string) => (fallback += chunk) };
    const before = terminal.text().length;
    notice('aptcard: could not load the public catalogs', stderr);
    const after = terminal.text().slice(before);
    expect(
      after.startsWith('\u001b[2K\u001b[1Gaptcard: could not load the public catalogs\n'),
    ).toBe(true);
    expect(after).toContain('aptcard> hamm');
    expect(fallback).toBe('');
    input.end();
    await running.done;
    notice('after the console closed', stderr);
    expect(fallback).toBe('after the console closed\n');
  });

  it('stay off the terminal when stdout is not one (a pipe)', async () => {
    const input = new PassThrough();
    const pipe = screen(false);
    const running = startConsole(bot, {
      input,
      output: pipe.stream,
      interactive: true,
      terminal: pipe.stream,
    });
    // This line goes to the test's stderr, as before the console started.
    log.level = 'warn';
    log.warn('console test: a warning while stdout is a pipe, on stderr as it should be');
    input.end();
    await running.done;
    expect(pipe.text()).not.toContain('a warning while stdout is a pipe');
  });
});

describe('plainLogLine', () => {
  it('words a JSON log line: level, message, fields, an error by its message', () => {
    const line = JSON.stringify({
      level: 50,
      time: 1,
      pid: 2,
      hostname: 'h',
      name: 'aptcard',
      msg: 'handler failed',
      kind: 'command',
      err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x' },
    });
    expect(plainLogLine(`${line}\n`)).toBe('error: handler failed (kind: command; err: boom)');
    expect(plainLogLine('not json\n')).toBe('not json');
  });
});
