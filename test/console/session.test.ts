import { afterAll, describe, expect, it } from 'vitest';
import { ConsoleSession } from '../../adapters/console/index.js';
import { Bot } from '../../src/bot.js';
import { Library } from '../../src/catalog/library.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { SearchIndex } from '../../src/search/index.js';
import { BUSY, cardsFolder, makeCard } from '../helpers/cards.js';

// Twelve Ember actors (a list of two pages of ten) and one with twelve operations (three pages).
const embers = Array.from({ length: 12 }, (_, i) =>
  makeCard({
    uuid: `e0000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    names: [`Ember ${String.fromCharCode(65 + i)}`],
    aliases: [{ name: `Ember ${String.fromCharCode(65 + i)}`, vendor: 'Us' }],
    countries: ['Atlantis'],
  }),
);
const busy = BUSY;
const { dir, cleanup } = cardsFolder({}, [...embers, busy]);
afterAll(cleanup);
const bot = new Bot(new Library(new SearchIndex(loadCatalog(dir, { cacheDir: false }))));

describe('console session', () => {
  it('/apt settings says settings belong to a channel, instead of looking for an actor', async () => {
    const session = new ConsoleSession(bot);
    const answer = (await session.answer('/apt settings')) ?? '';
    expect(answer).toContain('Settings belong to a Slack or Discord channel');
    expect(answer).not.toMatch(/No card/);
    expect(await session.answer('/apt settings off')).toContain('use /apt settings there');
  });

  it('pages through a list with "more", then says there is nothing more', async () => {
    const session = new ConsoleSession(bot);
    const first = (await session.answer('/apt country:atlantis')) ?? '';
    expect(first).toMatch(/^12 actors match "country:atlantis", page 1 of 2:/);
    expect(first).toMatch(/\(type "more" for page 2 of 2\)$/);
    const second = (await session.answer('more')) ?? '';
    expect(second).toMatch(/^12 actors match "country:atlantis", page 2 of 2:\n {2}11\. /);
    expect(second).not.toContain('type "more"');
    expect(await session.answer('more')).toBe(
      'Nothing more to show: "more" pages through the last list or card.',
    );
  });

  it("help adds the console's own words", async () => {
    const session = new ConsoleSession(bot);
    const help = (await session.answer('help')) ?? '';
    expect(help).toContain('In this console:');
    for (const word of ['more:', 'a number:', 'full, techniques, sources:', 'pictures:', 'quit:'])
      expect(help).toContain(`  ${word}`);
    expect(await session.answer('/apt')).not.toContain('In this console:'); // the usage line
  });

  it('opens a listed actor by the number beside it, on later pages too', async () => {
    const session = new ConsoleSession(bot);
    const first = (await session.answer('/apt country:atlantis')) ?? '';
    expect(first).toContain('(type 1 to 10 to open one)');
    const third = / {2}3\. (Ember [A-L])/.exec(first)?.[1];
    expect(third).toBeDefined();
    expect(await session.answer('3')).toMatch(new RegExp(`^${third}\n=+`));
    await session.answer('/apt country:atlantis');
    const second = (await session.answer('more')) ?? '';
    expect(second).toContain('(type 11 or 12 to open one)');
    const twelfth = / {2}12\. (Ember [A-L])/.exec(second)?.[1];
    expect(await session.answer('12')).toMatch(new RegExp(`^${twelfth}\n=+`));
    await session.answer('/apt country:atlantis');
    expect(await session.answer('11')).toBe(
      'Type a number from 1 to 10 to open one of the actors above.',
    );
  });

  it('keeps a list open: another number opens another actor, earlier pages included', async () => {
    const session = new ConsoleSession(bot);
    const first = (await session.answer('/apt country:atlantis')) ?? '';
    const name = (n: number, text: string) =>
      new RegExp(` {2}${n}\\. (Ember [A-L])`).exec(text)?.[1] as string;
    const [third, fifth] = [name(3, first), name(5, first)];
    const second = (await session.answer('more')) ?? '';
    const twelfth = name(12, second);
    expect(await session.answer('12')).toMatch(new RegExp(`^${twelfth}\n=+`));
    expect(await session.answer('3')).toMatch(new RegExp(`^${third}\n=+`));
    expect(await session.answer('5')).toMatch(new RegExp(`^${fifth}\n=+`));
    // Past the end of the list: which numbers there are, not a search for "13".
    expect(await session.answer('13')).toBe(
      'Type a number from 1 to 12 to open one of the actors above.',
    );
  });

  it('an answer with nothing to offer leaves the last card and list as they were', async () => {
    const session = new ConsoleSession(bot);
    await session.answer('/apt busy bee');
    expect(await session.answer('/apt zzzzqqqq')).toMatch(/^No card/);
    expect(await session.answer('full')).toMatch(/^Busy Bee\n=+\nAliases: Busy Bee \(Us\)/);
    const list = (await session.answer('/apt country:atlantis')) ?? '';
    expect(list).toContain('(type "more" for page 2 of 2)');
    const noCard = (await session.answer('/apt zzzzqqqq')) ?? '';
    // Its own text only: no hint of the list's numbers or pages under a "No card".
    expect(noCard).not.toMatch(/type "more"|to open one/);
    expect(await session.answer('help')).toContain('In this console:');
    expect(await session.answer('more')).toMatch(
      /^12 actors match "country:atlantis", page 2 of 2/,
    );
    expect(await session.answer('2')).toMatch(
      new RegExp(`^${/ {2}2\. (Ember [A-L])/.exec(list)?.[1]}\n=+`),
    );
  });

  it("pages through a card's operations, only the next page each time, and forgets the paging after another question", async () => {
    const session = new ConsoleSession(bot);
    const first = (await session.answer('/apt busy bee')) ?? '';
    expect(first).toMatch(/^Busy Bee\n=+\nAliases: Busy Bee \(Us\)/);
    expect(first).toMatch(/Latest operations \(3 of 12\):\n- 2011-01 {2}Operation 11/);
    expect(first).toMatch(/"more" for operations page 1 of 3/);
    const pages = [];
    for (let n = 1; n <= 3; n++)
      pages.push((await session.answer(n === 1 ? 'next' : 'more')) ?? '');
    for (const [i, page] of pages.entries()) {
      expect(page).toMatch(
        new RegExp(`^Busy Bee\\n=+\\n\\nOperations, newest first: 12 \\(page ${i + 1} of 3\\)`),
      );
      // Only that page: not the card's facts again.
      expect(page).not.toMatch(/Aliases:|Latest operations/);
    }
    expect(pages[0]).toMatch(/- 2011-01 {2}Operation 11\n- 2010-01/);
    expect(pages[2]).toMatch(/- 2001-01 {2}Operation 1\n- 2000-01 {2}Operation 0/);
    expect(pages[1]).toMatch(/"more" for operations page 3 of 3/);
    expect(pages[2]).not.toContain('"more"');
    expect(await session.answer('more')).toMatch(/^Nothing more to show/);
    // The full card is still one word away from the last page of operations.
    expect(await session.answer('full')).toMatch(/Operations, newest first: 12 \(page 1 of 3\)/);
    expect(await session.answer('/apt ember a')).not.toContain('"more"');
    expect(await session.answer('more')).toMatch(/^Nothing more to show/);
  });

  it('"full", "techniques" and "sources" open those parts of the last card', async () => {
    const session = new ConsoleSession(bot);
    expect(await session.answer('full')).toBe('Show a card first, then type "full".');
    await session.answer('/apt busy bee');
    const full = (await session.answer('full')) ?? '';
    expect(full).toMatch(/^Busy Bee\n=+\nAliases: Busy Bee \(Us\)/);
    expect(full).toMatch(/\nUUID 88888888-8888-4888-8888-888888888888/);
    // Busy Bee has no techniques and no references: nothing to open there.
    expect(await session.answer('techniques')).toBe('Nothing to show there for Busy Bee.');
    expect(await session.answer('sources')).toBe('Nothing to show there for Busy Bee.');
  });
});
