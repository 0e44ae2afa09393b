/**
 * Log lines for a person at the console: the logger's JSON line in plain words ("warning: could
 * not draw the map (actor: Lazarus Group; err: ...)"), and a sink that prints them above the
 * prompt (clear the line being typed, print, draw the prompt and the typed text again), so a
 * warning never lands in the middle of what someone is typing.
 */
import { clearLine, cursorTo, type Interface } from 'node:readline';
import { forTerminal } from '../../src/reply/terminal.js';

const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warning',
  50: 'error',
  60: 'fatal',
};

/** Fields every line has, or that say nothing to a person. */
const SKIPPED = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'v']);

function valueText(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') {
    const message = (value as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    return JSON.stringify(value);
  }
  return String(value);
}

/** One JSON log line in plain words; a line that is not JSON comes back as it is. */
export function plainLogLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return line.trim();
    entry = parsed as Record<string, unknown>;
  } catch {
    return line.trim();
  }
  const level = LEVELS[Number(entry.level)] ?? 'log';
  const details = Object.entries(entry)
    .filter(([k]) => !SKIPPED.has(k))
    .map(([k, v]) => `${k}: ${valueText(v)}`);
  const msg = typeof entry.msg === 'string' ? entry.msg : '';
  return `${level}: ${msg}${details.length ? ` (${details.join('; ')})` : ''}`;
}

interface Terminal {
  write(chunk: string): unknown;
}

/**
 * A log sink for an interactive console: each line printed above the prompt when the prompt is
 * showing (`prompting()`), else simply printed. `json`: keep the logger's JSON lines.
 */
export function aboveThePrompt(
  rl: Interface,
  terminal: Terminal & NodeJS.WritableStream,
  prompting: () => boolean,
  json: boolean,
): (line: string) => void {
  return (line) => {
    const text = forTerminal(json ? line.trimEnd() : plainLogLine(line));
    if (!prompting()) {
      terminal.write(`${text}\n`);
      return;
    }
    clearLine(terminal, 0);
    cursorTo(terminal, 0);
    terminal.write(`${text}\n`);
    // Draw the prompt and whatever was typed so far again, the cursor where it was.
    rl.prompt(true);
  };
}
