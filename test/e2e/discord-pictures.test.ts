/**
 * "Map & timeline" on Discord end to end: the real discord.js client answers the button with
 * the card's PNGs as attachments (a multipart request: the message as payload_json, each file
 * as files[n]) against the fake Discord, each shown in an embed as attachment://<name>, beside
 * the card rather than in its place. The full card's source links are link buttons.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscordAdapter, startDiscord } from '../../adapters/discord/index.js';
import { Bot } from '../../src/bot.js';
import { PNG_SIGNATURE } from '../../src/pictures/png.js';
import { limitViolations } from '../discord/limits.js';
import {
  APP_ID,
  CHANNEL_ID,
  FakeDiscord,
  type FakeMessage,
  type RecordedRequest,
  TOKEN,
} from '../fakes/discord.js';
import { fixtureLibrary, memoryLogger, SEED_UUID } from './discord-setup.js';

let fake: FakeDiscord;
let adapter: DiscordAdapter;
let cleanup: () => void = () => {};

beforeAll(async () => {
  fake = await FakeDiscord.start();
  const f = fixtureLibrary();
  cleanup = f.cleanup;
  adapter = await startDiscord(
    new Bot(f.library),
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
  cleanup();
});

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const callbackOf = (id: string) =>
  fake.waitForRequest((r) => r.path.startsWith(`/api/v10/interactions/${id}/`));
const data = (r: RecordedRequest): Obj => obj(obj(r.body).data);
const components = (r: RecordedRequest): Obj[] =>
  (Array.isArray(data(r).components) ? (data(r).components as unknown[]) : []).flatMap((row) =>
    (obj(row).components as unknown[]).map(obj),
  );
const asMessage = (r: RecordedRequest): FakeMessage => ({
  ...fake.sentMessage(CHANNEL_ID, data(r)),
  flags: Number(data(r).flags ?? 0),
});

describe('Map & timeline on Discord', () => {
  it('answers the button with both PNGs as attachments shown in their embeds, privately', async () => {
    const card = await callbackOf(fake.slashCommand('apt 21'));
    const button = components(card).find((c) => c.label === 'Map & timeline');
    expect(button?.custom_id).toBe(`pics:${SEED_UUID}`);
    const r = await callbackOf(fake.pressButton(String(button?.custom_id), asMessage(card)));
    // A new private message (4), not an update of the card (7).
    expect(obj(r.body).type).toBe(4);
    expect(data(r).flags).toBe(64);
    expect(r.files?.map((f) => [f.field, f.name])).toEqual([
      ['files[0]', 'nettraveler-map.png'],
      ['files[1]', 'nettraveler-timeline.png'],
    ]);
    for (const f of r.files ?? []) {
      expect(f.bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(f.bytes.length).toBeGreaterThan(1000);
    }
    const embeds = (data(r).embeds as unknown[]).map(obj);
    expect(embeds.map((e) => obj(e.image).url)).toEqual([
      'attachment://nettraveler-map.png',
      'attachment://nettraveler-timeline.png',
    ]);
    expect(embeds.map((e) => e.title)).toEqual([
      'Targets map of NetTraveler',
      'Activity timeline of NetTraveler',
    ]);
    const attachments = (data(r).attachments as unknown[]).map(obj);
    expect(attachments.map((a) => [String(a.id), a.description])).toEqual([
      ['0', 'Targets map of NetTraveler'],
      ['1', 'Activity timeline of NetTraveler'],
    ]);
    expect(limitViolations(data(r))).toEqual([]);
  });

  it('opens the full card in place of the first screen', async () => {
    const card = await callbackOf(fake.slashCommand('apt 21'));
    const full = components(card).find((c) => c.label === 'Full card');
    expect(full?.custom_id).toBe(`full:${SEED_UUID}`);
    const r = await callbackOf(fake.pressButton(String(full?.custom_id), asMessage(card)));
    expect(obj(r.body).type).toBe(7);
    const embeds = (data(r).embeds as unknown[]).map(obj);
    expect(embeds).toHaveLength(2);
    expect(String(embeds[1]?.description)).toContain('cyber-espionage');
    expect(r.files).toBeUndefined();
    expect(limitViolations(data(r))).toEqual([]);
  });
});
