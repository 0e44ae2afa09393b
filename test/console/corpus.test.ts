/**
 * The console over every card of the ETDA corpus (card-checks.ts): "more" pages the operations
 * one page at a time, each once, and every answer wraps to 80 columns.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Bot } from '../../src/bot.js';
import { openLibrary } from '../../src/catalog/open.js';
import { ETDA_CARDS_DIR, hasEtdaCards, noteSkipped } from '../helpers/corpus.js';
import { consoleProblemsOver } from './card-checks.js';

noteSkipped('console paging and wrapping over the ETDA corpus', ETDA_CARDS_DIR);

describe.skipIf(!hasEtdaCards)('the console over the ETDA corpus', () => {
  it('pages every card with "more", one page of operations at a time, each operation once', async () => {
    const library = openLibrary(ETDA_CARDS_DIR, join(tmpdir(), 'aptcard-test-cache'));
    const { catalog } = library.current;
    const bot = new Bot(library);
    const { problems, pages, expectedPages } = await consoleProblemsOver(
      bot,
      catalog,
      catalog.cards,
    );
    expect(problems).toEqual([]);
    expect(catalog.cards.length).toBeGreaterThanOrEqual(447);
    expect(pages).toBe(expectedPages);
    expect(pages).toBeGreaterThan(300);
  }, 120_000);
});
