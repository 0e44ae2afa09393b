/**
 * The hostile-input corpus through the real launcher's console on a pipe, in a child process
 * with a deadline: a pattern that backtracks on a long line would block it for seconds a line
 * (a 100,000-character line once took 12 s), so the deadline fails the test instead of timing.
 */
import { describe, expect, it } from 'vitest';
import { consoleOnPipe } from '../helpers/console-pipe.js';
import { HOSTILE_INPUTS } from '../helpers/hostile.js';

const DEADLINE_MS = 20_000;

describe('console on a pipe, hostile corpus', () => {
  it(
    `answers every hostile line as a message, mention and command within ${DEADLINE_MS / 1000} s`,
    async () => {
      const lines: string[] = [];
      for (const { text } of HOSTILE_INPUTS) {
        // A line ends at LF (readline also ends one at CR): keep each input on its own line.
        const line = text.replace(/[\r\n]/g, ' ');
        lines.push(line, `@aptcard ${line}`, `/apt ${line}`);
      }
      lines.push('/apt net traveler');
      const run = await consoleOnPipe(lines, {}, DEADLINE_MS);
      expect(run.killed, 'still running at the deadline').toBe(false);
      expect(run.code).toBe(0);
      expect(run.err).toBe('');
      // The last line was answered: nothing before it was dropped or stalled the console.
      expect(run.out.trimEnd().split('\n').slice(-40).join('\n')).toContain('NetTraveler');
    },
    DEADLINE_MS + 10_000,
  );
});
