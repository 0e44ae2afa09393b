/**
 * `aptcard start` with only the console, on a person's terminal: the log lines before the console
 * runs (first parse of a big folder, the state store) are plain words on stderr, not JSON; JSON
 * stays with LOG_FORMAT=json, on a pipe, and when a chat platform runs.
 */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { plainStartupLogs } from '../../app/commands/start.js';
import { loadConfig } from '../../app/config.js';
import { createLogger, setLogSink } from '../../src/log.js';
import { fakeIO } from '../helpers/cli.js';

afterEach(() => setLogSink(undefined));

/** What one start-up info line looks like on `io.stderr` after plainStartupLogs. */
function startupLine(env: Record<string, string>, tty: boolean): string {
  const stdin = Object.assign(new PassThrough(), tty ? { isTTY: true } : {});
  const fake = fakeIO(env, stdin);
  if (tty) Object.assign(fake.io.stderr, { isTTY: true });
  plainStartupLogs(loadConfig(env), fake.io);
  // A logger writing where the real one does (the switchable stderr destination).
  createLogger(undefined, 'info').info({ cards: 1693 }, 'first load of this folder');
  return fake.err();
}

describe('start-up log lines', () => {
  it('are plain words on a terminal when only the console runs', () => {
    expect(startupLine({}, true)).toBe('info: first load of this folder (cards: 1693)\n');
  });

  it('stay JSON with LOG_FORMAT=json, on a pipe, or with a chat platform configured', () => {
    // Not taken: the line went to the process's stderr, none to the fake one.
    expect(startupLine({ LOG_FORMAT: 'json' }, true)).toBe('');
    expect(startupLine({}, false)).toBe('');
    const discord = { DISCORD_TOKEN: 'x'.repeat(24), DISCORD_APPLICATION_ID: '123456789012345678' };
    expect(startupLine(discord, true)).toBe('');
  });
});
