/**
 * The console over every card of the ETDA corpus: the first screen, then "more" printing only
 * the next page of operations until every operation was shown once, in order; and every answer
 * word-wrapped to 80 columns with no line over the width (but a single word longer than it), no
 * word lost and no URL split.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConsoleSession } from '../../adapters/console/index.js';
import { Bot } from '../../src/bot.js';
import { openLibrary } from '../../src/catalog/open.js';
import { cardView } from '../../src/reply/build.js';
import { wrapText } from '../../src/reply/wrap.js';
import { ETDA_CARDS_DIR, hasEtdaCards, noteSkipped } from '../helpers/corpus.js';

noteSkipped('console paging and wrapping over the ETDA corpus', ETDA_CARDS_DIR);

const WIDTH = 80;
const URL_RE = /https?:\/\/\S+/g;

/** What is wrong with `wrapped` as the 80-column form of `text`. */
function wrapProblems(text: string, wrapped: string): string[] {
  const out: string[] = [];
  for (const line of wrapped.split('\n')) {
    // Only a word longer than the line may stand over it, alone after its indentation.
    if ([...line].length > WIDTH && /\S\s+\S/.test(line.trim())) {
      out.push(`over ${WIDTH}: ${line.slice(0, 100)}`);
    }
  }
  const lines = wrapped.split('\n');
  for (const url of text.match(URL_RE) ?? []) {
    if (!lines.some((l) => l.includes(url))) out.push(`split URL ${url}`);
  }
  if (wrapped.replace(/\s+/g, ' ') !== text.replace(/\s+/g, ' ')) out.push('words changed');
  return out;
}

describe.skipIf(!hasEtdaCards)('the console over the ETDA corpus', () => {
  it('pages every card with "more", one page of operations at a time, each operation once', async () => {
    const library = openLibrary(ETDA_CARDS_DIR, join(tmpdir(), 'aptcard-test-cache'));
    const { catalog } = library.current;
    const bot = new Bot(library);
    const problems: string[] = [];
    let pages = 0;
    let expectedPages = 0;
    for (const entry of catalog.cards) {
      const view = cardView(entry, catalog);
      // The first screen shows up to three operations; past that, every page is one "more".
      if (view.operationsTotal > 3) expectedPages += view.operationsPageCount;
      const session = new ConsoleSession(bot);
      const answers = [(await session.answer(`/apt ${view.uuid}`)) ?? ''];
      const first = answers[0] ?? '';
      if (!first.startsWith(`${[view.name, ...view.otherNames].join(', ')}\n`)) {
        problems.push(`${view.name}: the first screen does not open with the title`);
      }
      const titles: string[] = [];
      for (;;) {
        const next = (await session.answer('more')) ?? '';
        if (next.startsWith('Nothing more to show')) break;
        answers.push(next);
        pages++;
        if (/^Aliases:|^Latest operations/m.test(next)) {
          problems.push(`${view.name}: "more" printed the card again`);
        }
        for (const line of next.split('\n')) if (line.startsWith('- ')) titles.push(line);
        if (pages > 5000) throw new Error('"more" never ends');
      }
      const expected = view.operationsTotal > 3 ? view.operationsTotal : 0;
      if (titles.length !== expected) {
        problems.push(`${view.name}: ${titles.length} operations paged, expected ${expected}`);
      }
      for (const text of answers) {
        for (const p of wrapProblems(text, wrapText(text, WIDTH))) {
          problems.push(`${view.name}: ${p}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(catalog.cards.length).toBeGreaterThanOrEqual(447);
    expect(pages).toBe(expectedPages);
    expect(pages).toBeGreaterThan(300);
  }, 120_000);
});
