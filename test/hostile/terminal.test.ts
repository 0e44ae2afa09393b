/**
 * A card carrying terminal escape and OSC sequences (window title, screen clear, an OSC 52
 * clipboard write), printed by the console on a pipe and by `aptcard show`: no control
 * character reaches the terminal raw; `--format markdown` still prints the file as it is.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleOnPipe } from '../helpers/console-pipe.js';
import { CONTROL_INPUTS } from '../helpers/hostile.js';
import { runLauncher } from '../helpers/launcher.js';

const ESC = '\u001b';
const TITLE = `${ESC}]0;owned\u0007`;
const CLIPBOARD = `${ESC}]52;c;ZWNobyBvd25lZA==\u0007`;
const CLEAR = `${ESC}[2J${ESC}[H`;
const CARD = `# Threat actor: Escape Panda

**UUID**: 0badc0de-0000-4000-8000-00000000e5c0

## Aliases

Escape Panda, Title${TITLE}Bear

## Summary

Before ${CLEAR} after, ${CLIPBOARD} and C1 \u009b31m red, \u202eevil\u202c.
`;

/** Any control character but line feed (tab is harmless), raw. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the test.
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aptcard-terminal-'));
  writeFileSync(join(dir, 'escape-panda.md'), CARD);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('terminal output', () => {
  it('the console shows control characters as visible symbols', async () => {
    const lines = ['/apt escape panda', ...CONTROL_INPUTS.map((i) => i.text.replace(/\r/g, ' '))];
    const run = await consoleOnPipe(lines, { CARDS_DIR: dir });
    expect(run.code).toBe(0);
    expect(run.out).toContain('Escape Panda');
    expect(run.out).not.toMatch(RAW_CONTROL);
    expect(run.out).toContain('\u241b]52;c;');
  });

  it('aptcard show prints text without them, and markdown as the file is', async () => {
    const text = await runLauncher(['show', '--cards', dir, 'escape panda']);
    expect(text.code).toBe(0);
    expect(text.out).toContain('Before');
    expect(text.out).not.toMatch(RAW_CONTROL);
    expect(text.out).toContain('\u241b[2J');
    const missing = await runLauncher(['show', '--cards', dir, `no${TITLE}such`]);
    expect(missing.code).toBe(1);
    expect(missing.err).not.toMatch(RAW_CONTROL);
    const markdown = await runLauncher([
      'show',
      '--cards',
      dir,
      '--format',
      'markdown',
      'escape panda',
    ]);
    expect(markdown.out).toBe(CARD);
  });
});
