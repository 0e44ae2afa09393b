/**
 * The longest cards of the real corpus, asked for through the real discord.js Client: what
 * reaches the (fake) Discord API stays within every limit, shortened rather than rejected.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscordAdapter, startDiscord } from '../../adapters/discord/index.js';
import { Bot } from '../../src/bot.js';
import type { Library } from '../../src/catalog/library.js';
import { openLibrary } from '../../src/catalog/open.js';
import { cardView } from '../../src/reply/build.js';
import { limitViolations } from '../discord/limits.js';
import { APP_ID, CHANNEL_ID, FakeDiscord, messageData, TOKEN } from '../fakes/discord.js';
import { ETDA_CARDS_DIR, hasEtdaCards, noteSkipped } from '../helpers/corpus.js';
import { memoryLogger } from './discord-setup.js';

noteSkipped('Discord end-to-end corpus limits', ETDA_CARDS_DIR);

describe.skipIf(!hasEtdaCards)('longest corpus cards through discord.js', () => {
  let fake: FakeDiscord;
  let adapter: DiscordAdapter;
  let library: Library;

  beforeAll(async () => {
    library = openLibrary(ETDA_CARDS_DIR, join(tmpdir(), 'aptcard-test-cache'));
    fake = await FakeDiscord.start();
    adapter = await startDiscord(
      new Bot(library),
      {
        token: TOKEN,
        applicationId: APP_ID,
        apiUrl: fake.apiUrl,
        answerInChannel: false,
        enrichChannels: [],
      },
      { logger: memoryLogger().logger },
    );
  });

  afterAll(async () => {
    await adapter?.stop();
    await fake?.close();
  });

  it('answers the 8 longest cards within every Discord limit', async () => {
    const { catalog } = library.current;
    const sized = catalog.cards.map((entry) => {
      const v = cardView(entry, catalog);
      const parts = [v.description, v.operations, v.aliases, v.tools, v.targets, v.sectors];
      return {
        uuid: entry.card.uuid,
        size: JSON.stringify([...parts, v.counterOperations]).length,
      };
    });
    sized.sort((a, b) => b.size - a.size);
    const longest = sized.slice(0, 8).map((s) => s.uuid);
    expect(sized[0]?.size).toBeGreaterThan(6000);

    const ids = longest.map((uuid) => fake.slashCommand(uuid));
    for (const [i, id] of ids.entries()) {
      const r = await fake.waitForRequest((q) => q.path.startsWith(`/api/v10/interactions/${id}/`));
      const data = messageData(r.body);
      expect(data, `answer for ${longest[i]}`).toBeDefined();
      expect(limitViolations(data)).toEqual([]);
      const embed = (data?.embeds as { footer?: { text: string } }[] | undefined)?.[0];
      expect(embed?.footer?.text).toContain(longest[i]);
    }
  });

  it('pages through the operations of the busiest card with More operations', async () => {
    const { catalog } = library.current;
    const busiest = [...catalog.cards].sort(
      (a, b) => b.card.operations.length - a.card.operations.length,
    )[0];
    const uuid = busiest?.card.uuid ?? '';
    const total = busiest?.card.operations.length ?? 0;
    expect(total).toBeGreaterThan(10);
    const callback = (id: string) =>
      fake.waitForRequest((q) => q.path.startsWith(`/api/v10/interactions/${id}/`));
    const first = messageData((await callback(fake.slashCommand(uuid))).body);
    const ids = JSON.stringify(first?.components);
    // The first screen shows the latest few; "More operations" opens the first page of them.
    expect(ids).toContain(`"custom_id":"ops:0:${uuid}"`);

    const message = { ...fake.sentMessage(CHANNEL_ID, first), flags: 64 };
    const paged = await callback(fake.pressButton(`ops:1:${uuid}`, message));
    expect((paged.body as { type: number }).type).toBe(7);
    const data = messageData(paged.body);
    expect(limitViolations(data)).toEqual([]);
    type Embed = { description: string; fields: { name: string; value: string }[] };
    const embed = (data?.embeds as Embed[] | undefined)?.[0];
    expect(embed?.description).toMatch(
      new RegExp(`^Operations 6–10 of ${total}, newest first \\(page 2 of \\d+\\)$`),
    );
    expect(embed?.fields).toHaveLength(5);
    expect(JSON.stringify(data?.components)).toContain(`"custom_id":"ops:0:${uuid}"`);
    expect(JSON.stringify(data?.components)).toContain(`"custom_id":"share:ops:1:${uuid}"`);
  });
});
