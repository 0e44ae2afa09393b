/**
 * Text bound for a terminal, made harmless. A card or an imported description can hold escape
 * and OSC sequences (set the window title, clear the screen, write the clipboard with OSC 52):
 * every control character except line feed and tab is shown as a visible symbol instead, so
 * nothing a card says can drive the terminal. `--format markdown` prints the file as it is.
 */

import { wrapText } from './wrap.js';

/** C0 controls but \t and \n, DEL, C1 controls, and the bidirectional overrides and isolates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point here.
const CONTROL_RE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  // Unicode's Control Pictures: U+241B "␛" for ESC, U+2421 "␡" for DEL.
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

export function forTerminal(text: string): string {
  return text.replace(CONTROL_RE, visible);
}

/** The terminal's width when `stream` is one, else 0 (a pipe or a file: no wrapping). */
export function terminalColumns(stream: unknown): number {
  const tty = stream as { isTTY?: boolean; columns?: number };
  return tty.isTTY && typeof tty.columns === 'number' && tty.columns > 20 ? tty.columns : 0;
}

/** Text for a person at a terminal: made harmless, and word-wrapped to its width when it is one. */
export function forScreen(text: string, stream: unknown): string {
  return wrapText(forTerminal(text), terminalColumns(stream));
}
