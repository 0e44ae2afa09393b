/**
 * A Discord button from before a restart still works: its long query (a "qref:" custom id) is in
 * the embedded state file, read back by the restarted bot. Real discord.js client, fake Discord.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordConfig } from '../../adapters/discord/config.js';
import { type DiscordAdapter, startDiscord } from '../../adapters/discord/index.js';
import { Bot } from '../../src/bot.js';
import { forgetLongQueries } from '../../src/reply/actions.js';
import { SqliteStore } from '../../src/state/sqlite.js';
import { APP_ID, CHANNEL_ID, FakeDiscord, type RecordedRequest, TOKEN } from '../fakes/discord.js';
import { fixtureLibrary, memoryLogger } from './discord-setup.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
function data(r: RecordedRequest): Obj {
  const body = obj(r.body);
  return 'type' in body && 'data' in body ? obj(body.data) : body;
}
const title = (r: RecordedRequest) =>
  String(obj((data(r).embeds as unknown[] | undefined)?.[0]).title);
function customIds(r: RecordedRequest): string[] {
  const rows = data(r).components;
  return (Array.isArray(rows) ? rows : []).flatMap((row) =>
    (obj(row).components as unknown[]).map((c) => String(obj(c).custom_id)),
  );
}

let fake: FakeDiscord;
let cleanup = () => {};
const stateDir = mkdtempSync(join(tmpdir(), 'aptcard-discord-state-'));
const log = memoryLogger();

beforeAll(async () => {
  fake = await FakeDiscord.start();
});
afterAll(async () => {
  await fake?.close();
  cleanup();
  rmSync(stateDir, { recursive: true, force: true });
});

async function run(library: Bot['library']) {
  const store = SqliteStore.open(stateDir);
  const config: DiscordConfig = {
    token: TOKEN,
    applicationId: APP_ID,
    apiUrl: fake.apiUrl,
    answerInChannel: false,
    enrichChannels: [],
  };
  const adapter: DiscordAdapter = await startDiscord(new Bot(library, { store }), config, {
    logger: log.logger,
  });
  return {
    async stop() {
      await adapter.stop();
      await store.close();
    },
  };
}

describe('Discord buttons over a restart', () => {
  it('answers a long-query button pressed after the bot was restarted', async () => {
    const f = fixtureLibrary();
    cleanup = f.cleanup;
    const callbackOf = (id: string) =>
      fake.waitForRequest((r) => r.path.startsWith(`/api/v10/interactions/${id}/`));

    const first = await run(f.library);
    const query = `country:china ${'sector:government '.repeat(6)}`.trim();
    const list = await callbackOf(fake.slashCommand(query));
    const share = customIds(list).find((c) => c.startsWith('share:qref:'));
    expect(share).toMatch(/^share:qref:0:[\w-]{16}$/);
    const message = { ...fake.sentMessage(CHANNEL_ID, data(list)), flags: 64 };
    await first.stop();
    // What a restart does to the process's memory.
    forgetLongQueries();

    const second = await run(f.library);
    const pressed = await callbackOf(fake.pressButton(share ?? '', message));
    expect(title(pressed)).toBe(title(list));
    expect(title(pressed)).toContain('actors match');
    await second.stop();

    // Without the state file the same press would have expired: the file is what kept it.
    forgetLongQueries();
    rmSync(stateDir, { recursive: true, force: true });
    const third = await run(f.library);
    const expired = await callbackOf(fake.pressButton(share ?? '', message));
    expect(JSON.stringify(data(expired))).toContain('That list has expired');
    await third.stop();
  });
});
