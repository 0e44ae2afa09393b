/**
 * The console's checks of one card, shared by the corpus tests: the first screen, then "more"
 * printing only the next page of operations until every operation was shown once, in order;
 * and every answer word-wrapped to 80 columns with no line over the width (but a single word
 * longer than it), no word lost and no URL split.
 */
import { ConsoleSession } from '../../adapters/console/index.js';
import type { Bot } from '../../src/bot.js';
import type { LoadedCard } from '../../src/cards/model.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import type { CardView } from '../../src/core/types.js';
import { cardView } from '../../src/reply/build.js';
import { wrapText } from '../../src/reply/wrap.js';

const WIDTH = 80;
const URL_RE = /https?:\/\/\S+/g;
/** The first screen shows up to this many operations; past that, every page is one "more". */
const FIRST_SCREEN_OPERATIONS = 3;

/** What is wrong with `wrapped` as the 80-column form of `text`. */
export function wrapProblems(text: string, wrapped: string): string[] {
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

/** Ask for `view` in a new session, then "more" until nothing is left; what went wrong. */
export async function consoleCardProblems(
  bot: Bot,
  view: CardView,
): Promise<{ problems: string[]; pages: number; expectedPages: number }> {
  const problems: string[] = [];
  const paged = view.operationsTotal > FIRST_SCREEN_OPERATIONS;
  const session = new ConsoleSession(bot);
  const first = (await session.answer(`/apt ${view.uuid}`)) ?? '';
  const answers = [first];
  if (!first.startsWith(`${[view.name, ...view.otherNames].join(', ')}\n`)) {
    problems.push('the first screen does not open with the title');
  }
  const titles: string[] = [];
  let pages = 0;
  for (;;) {
    const next = (await session.answer('more')) ?? '';
    if (next.startsWith('Nothing more to show')) break;
    answers.push(next);
    pages++;
    if (/^Aliases:|^Latest operations/m.test(next)) problems.push('"more" printed the card again');
    for (const line of next.split('\n')) if (line.startsWith('- ')) titles.push(line);
    if (pages > 5000) throw new Error('"more" never ends');
  }
  const expected = paged ? view.operationsTotal : 0;
  if (titles.length !== expected) {
    problems.push(`${titles.length} operations paged, expected ${expected}`);
  }
  for (const text of answers) problems.push(...wrapProblems(text, wrapText(text, WIDTH)));
  return { problems, pages, expectedPages: paged ? view.operationsPageCount : 0 };
}

/** consoleCardProblems over many cards: every problem, named, and the pages seen and expected. */
export async function consoleProblemsOver(
  bot: Bot,
  catalog: Catalog,
  entries: readonly LoadedCard[],
): Promise<{ problems: string[]; pages: number; expectedPages: number }> {
  const problems: string[] = [];
  let pages = 0;
  let expectedPages = 0;
  for (const entry of entries) {
    const view = cardView(entry, catalog);
    const checked = await consoleCardProblems(bot, view);
    for (const p of checked.problems) problems.push(`${view.name}: ${p}`);
    pages += checked.pages;
    expectedPages += checked.expectedPages;
  }
  return { problems, pages, expectedPages };
}
