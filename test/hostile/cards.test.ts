/**
 * Hostile card files through `aptcard validate` (the real launcher, in a child process with a
 * deadline): each file that breaks a limit is reported with its file and line and skipped, the
 * rest load, and no file takes the parser minutes (they once took 17 s to 172 s each).
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardError, parseCard } from '../../src/cards/parse.js';
import { SEEDS_DIR } from '../helpers/corpus.js';
import { runLauncher } from '../helpers/launcher.js';

const DEADLINE_MS = 20_000;
let n = 0;
const card = (title: string, body: string, aliases = 'Hostile') =>
  `# Threat actor: ${title}\n\n**UUID**: 0badc0de-0000-4000-8000-${String(++n).padStart(12, '0')}\n\n## Aliases\n\n${aliases}\n\n## Summary\n\n${body}\n`;

/** File name -> [contents, expected line of the report, words of the reason]. */
const REFUSED: Record<string, [string, number, string]> = {
  'stars.md': [card('Stars', `${'*a'.repeat(100)}\n`.repeat(1_000)), 11, 'emphasis'],
  'star-line.md': [card('Star Line', '*a'.repeat(100_000)), 11, 'line longer'],
  'spaces.md': [card('Spaces', `a${' '.repeat(100_000)}b`), 11, 'line longer'],
  'quotes.md': [card('Quotes', `${'>'.repeat(100_000)} x`), 11, 'line longer'],
  'quotes-short.md': [card('Quotes', `${'> '.repeat(5_000)}x`), 11, 'nested'],
  'lists.md': [
    card('Lists', Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}- x`).join('\n')),
    28,
    'nested',
  ],
  'links.md': [card('Links', `${'[a]('.repeat(100)}\n`.repeat(200)), 11, 'brackets'],
  'many-lines.md': [card('Lines', 'a\n\n'.repeat(5_000)), 4001, 'more than 4000 lines'],
  'blank-title.md': [card('\u200b\u200b', 'text'), 1, 'no usable name'],
};

/** Cards that load, with their slow parts fixed or their unusable aliases reported. */
const LOADED: Record<string, [string, string]> = {
  'space-lines.md': [card('Space Lines', `a\n${'   \n'.repeat(3_000)}b`), ''],
  'title-spaces.md': [card(`Title,${' '.repeat(19_000)}x${' #'.repeat(400)}`, 'text'), ''],
  'long-alias.md': [card('Long Alias', 'text', `a${'!'.repeat(10_000)}a!`), 'longer than 200'],
  'zero-width.md': [card('Zero Width', 'text', 'Good, \u200b\u200d, ---'), 'no letter or digit'],
  // Techniques and Software list items: spaces runs before a missing '[' or the line end.
  'techniques.md': [
    `${card('Techniques', 'text')}\n## Techniques\n\n${`- T1566: a${' '.repeat(19_000)}x\n`.repeat(20)}- T1566.001: b${' '.repeat(19_000)}[x\n\n## Software\n\n- S0002: c${' '.repeat(19_000)}y\n`,
    '',
  ],
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aptcard-hostile-cards-'));
  copyFileSync(join(SEEDS_DIR, 'nettraveler-apt-21-hammer-panda.md'), join(dir, 'nettraveler.md'));
  for (const [name, [text]] of Object.entries({ ...REFUSED, ...LOADED }))
    writeFileSync(join(dir, name), text);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Issue {
  file: string;
  line: number;
  message: string;
}

describe('hostile card files', () => {
  it(
    'are each reported with file and line, quickly, and the rest load',
    async () => {
      const run = await runLauncher(['validate', '--cards', dir, '--json'], {
        deadlineMs: DEADLINE_MS,
      });
      expect(run.killed, 'validate still running at the deadline').toBe(false);
      expect(run.code).toBe(1);
      const report = JSON.parse(run.out) as { cards: number; errors: Issue[]; warnings: Issue[] };
      const at = (issues: Issue[], name: string) =>
        issues.filter((i) => i.file.endsWith(`/${name}`));
      for (const [name, [, line, reason]] of Object.entries(REFUSED)) {
        const [error] = at(report.errors, name);
        expect(error, name).toBeDefined();
        expect(error?.line, `${name}: ${error?.message}`).toBe(line);
        expect(error?.message, name).toContain(reason);
      }
      expect(report.cards).toBe(1 + Object.keys(LOADED).length);
      expect(report.errors).toHaveLength(Object.keys(REFUSED).length);
      for (const [name, [, warning]] of Object.entries(LOADED)) {
        const warnings = at(report.warnings, name).map((w) => `${w.line}: ${w.message}`);
        if (warning) expect(warnings.join('\n'), name).toContain(`5: alias name`);
        if (warning) expect(warnings.join('\n'), name).toContain(warning);
      }
    },
    DEADLINE_MS + 10_000,
  );

  it('a card over its parse budget is reported and refused', () => {
    const text = card('Budget', `${'word '.repeat(1_000)}\n\n`.repeat(10));
    expect(parseCard(text).names).toEqual(['Budget']);
    expect(() => parseCard(text, 'slow.md', undefined, 0)).toThrow(CardError);
    expect(() => parseCard(text, 'slow.md', undefined, 0)).toThrow(
      /slow\.md: took \d+ ms to parse/,
    );
  });
});
