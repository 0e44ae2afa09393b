/** A one-letter alias ("I", "A") is reported by validate and never fires on prose. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const CARD = `# Threat actor: Letter Group

**UUID**: 0badc0de-0000-4000-8000-00000000111e

## Aliases

Letter Group, I, A

## Summary

Text.
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aptcard-one-letter-'));
  writeFileSync(join(dir, 'letter.md'), CARD);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('one-letter aliases', () => {
  it('never fire on ordinary prose, in capitals or not', async () => {
    const run = await runCli(
      ['detect', '--cards', dir, '--stdin'],
      ['I think A team saw a cat', 'I AM A TEST', 'the Letter Group again'],
    );
    const named = run.stdout.split('\n').filter((l) => l.includes('Letter Group'));
    expect(named.map((l) => l.split(':')[0])).toEqual(['line 3']);
  });

  it('are reported by validate', async () => {
    const run = await runCli(['validate', '--cards', dir]);
    expect(run.stdout).toMatch(/letter\.md:5: alias "I" is one character/);
    expect(run.stdout).toMatch(/letter\.md:5: alias "A" is one character/);
  });
});
