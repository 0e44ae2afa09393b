/**
 * The enrichment policy reads each channel's settings (src/detect/controls.ts): the environment
 * gives the defaults, what `/apt settings` stored wins field by field; muted names never fire;
 * the store is read through a short cache; a store that is down means no enrichment. And the
 * core's answers to `/apt settings` and "Not this actor", through the Bot.
 */
import { describe, expect, it } from 'vitest';
import { Bot } from '../../src/bot.js';
import { Library } from '../../src/catalog/library.js';
import type { EnrichmentConfig } from '../../src/config.js';
import type { BotRequest, Reply, SettingsAccess } from '../../src/core/types.js';
import { AliasEnricher } from '../../src/detect/enricher.js';
import { renderText } from '../../src/reply/text.js';
import { SETTINGS_USAGE } from '../../src/state/channel-settings.js';
import { MemoryStore } from '../../src/state/memory.js';
import { SETTINGS_CACHE_MS } from '../../src/state/settings-cache.js';
import { StoreUnavailableError } from '../../src/state/store.js';
import { fixtureCatalog, NETTRAVELER, SOFACY, TURLA } from '../fixtures/detect/cards.js';

const CONFIG: EnrichmentConfig = {
  enabled: true,
  disabledChannels: [],
  maxActors: 3,
  cooldownMinutes: 0,
  allow: [],
  deny: [],
};

/** A memory store that counts reads and can be taken down. */
class TestStore extends MemoryStore {
  gets = 0;
  down = false;
  override async get(key: string): Promise<string | undefined> {
    this.gets++;
    if (this.down) throw new StoreUnavailableError('down for the test');
    return super.get(key);
  }
  override async set(key: string, value: string, ttlMs?: number): Promise<void> {
    if (this.down) throw new StoreUnavailableError('down for the test');
    return super.set(key, value, ttlMs);
  }
}

const admin: SettingsAccess = { mayChange: () => true, whoMayChange: 'channel admins' };
const member: SettingsAccess = { mayChange: () => false, whoMayChange: 'channel admins' };

function setup(config: Partial<EnrichmentConfig> = {}) {
  let clock = 1_000_000;
  const store = new TestStore(() => clock);
  const enricher = new AliasEnricher({ ...CONFIG, ...config }, { now: () => clock, store });
  const bot = new Bot(new Library(fixtureCatalog()), { enricher, store });
  const where = { platform: 'slack', channel: 'C1' };
  let n = 0;
  const names = async (text: string, extra: Partial<BotRequest> = {}) => {
    const reply = await bot.answer({
      kind: 'message',
      text,
      user: 'U1',
      messageId: `m${++n}`,
      ...where,
      ...extra,
    });
    return reply?.kind === 'enrichment' ? reply.actors.map((a) => a.name) : [];
  };
  const settings = (
    args: string,
    access: SettingsAccess = admin,
    extra: Partial<BotRequest> = {},
  ) =>
    bot.answer({
      kind: 'command',
      text: `settings ${args}`,
      user: 'UADMIN',
      access,
      ...where,
      ...extra,
    });
  return { bot, store, names, settings, advance: (ms: number) => (clock += ms) };
}

function outcome(reply: Reply | null) {
  if (reply?.kind !== 'settings') throw new Error(`expected a settings reply, got ${reply?.kind}`);
  return reply;
}

describe('the enrichment policy reads the channel settings', () => {
  it('a chat "off" wins over the environment, in that channel only, until reset', async () => {
    const { names, settings } = setup();
    expect(await names('Turla again')).toEqual(['Turla']);
    expect(outcome(await settings('off')).outcome).toEqual({
      type: 'changed',
      change: { type: 'disable' },
    });
    expect(await names('Turla again')).toEqual([]);
    expect(await names('Turla again', { channel: 'C2' })).toEqual(['Turla']);
    expect(await names('Turla again', { platform: 'discord' })).toEqual(['Turla']);
    await settings('reset');
    expect(await names('Turla again')).toEqual(['Turla']);
  });

  it('a chat "on" wins over ENRICH=false, ENRICH_DISABLED_CHANNELS and an unlisted channel', async () => {
    const off = setup({ enabled: false });
    expect(await off.names('Turla')).toEqual([]);
    await off.settings('on');
    expect(await off.names('Turla')).toEqual(['Turla']);
    expect(await off.names('Turla', { channel: 'C2' })).toEqual([]);

    const disabled = setup({ disabledChannels: ['#c1'] });
    expect(await disabled.names('Turla')).toEqual([]);
    await disabled.settings('on');
    expect(await disabled.names('Turla')).toEqual(['Turla']);

    // Discord: a channel not in DISCORD_ENRICH_CHANNELS, switched on from chat.
    const discord = setup();
    const unlisted = { platform: 'discord', channel: 'D1', listed: false } as const;
    expect(await discord.names('Turla', unlisted)).toEqual([]);
    await discord.settings('on', admin, unlisted);
    expect(await discord.names('Turla', unlisted)).toEqual(['Turla']);
    // A thread follows its parent channel's settings.
    expect(await discord.names('Turla', { ...unlisted, channel: 'T1', parent: 'D1' })).toEqual([
      'Turla',
    ]);
  });

  it('uses the cooldown set for the channel', async () => {
    const { names, settings, advance } = setup({ cooldownMinutes: 0 });
    expect(await names('Turla')).toEqual(['Turla']);
    expect(await names('Turla')).toEqual(['Turla']);
    await settings('cooldown 10m');
    expect(await names('Turla')).toEqual(['Turla']);
    expect(await names('Turla')).toEqual([]);
    expect(await names('Turla', { channel: 'C2' })).toEqual(['Turla']);
    advance(10 * 60_000);
    expect(await names('Turla')).toEqual(['Turla']);
  });

  it('never fires a muted name there: by the actor name, or when every form used is muted', async () => {
    const { names, settings } = setup();
    await settings('mute netTRAVELER');
    expect(await names('TEMP.Zhenbao and Turla')).toEqual(['Turla']);
    expect(await names('TEMP.Zhenbao', { channel: 'C2' })).toEqual(['NetTraveler']);
    await settings('unmute NetTraveler');
    await settings('mute hammer panda');
    // Only by the muted form: no line. Named another way as well: the line stays.
    expect(await names('Hammer Panda spotted')).toEqual([]);
    expect(await names('Hammer Panda, aka APT 21')).toEqual(['NetTraveler']);
    // A muted actor makes no room it does not use: the others still fit within maxActors.
    await settings('mute turla');
    expect(await names('Turla, Sofacy, TEMP.Zhenbao, Group72')).toEqual([
      'Sofacy',
      'NetTraveler',
      'Group Seventy',
    ]);
  });

  it('reads a busy channel’s settings from the store once every few seconds', async () => {
    const { names, store, advance } = setup();
    await names('Turla');
    const reads = store.gets;
    for (let i = 0; i < 30; i++) await names(`Turla number ${i}`);
    // Only the per-message claims, no settings read: the claims are set-if-absent, not gets.
    expect(store.gets).toBe(reads);
    advance(SETTINGS_CACHE_MS);
    await names('Turla');
    expect(store.gets).toBe(reads + 1);
  });

  it('posts nothing while the store is down, and resumes when it is back', async () => {
    const { names, store, advance } = setup();
    store.down = true;
    advance(SETTINGS_CACHE_MS);
    expect(await names('Turla')).toEqual([]);
    store.down = false;
    expect(await names('Turla')).toEqual(['Turla']);
  });

  it('drops a muted line when its message is edited, and adds none where it is off', async () => {
    const { bot, settings } = setup();
    const request = {
      kind: 'message',
      platform: 'slack',
      channel: 'C1',
      messageId: 'e1',
    } as const;
    const posted = [TURLA.card.uuid, SOFACY.card.uuid];
    await settings('mute sofacy');
    const revised = await bot.revise({ ...request, text: 'Turla and Sofacy, edited' }, posted);
    expect(revised?.kind === 'enrichment' && revised.actors.map((a) => a.name)).toEqual(['Turla']);
    await settings('off');
    expect(
      await bot.revise({ ...request, text: 'Turla, Sofacy and TEMP.Zhenbao' }, [TURLA.card.uuid]),
    ).toBeNull();
  });
});

describe('/apt settings in the core', () => {
  it('shows the settings, what comes from chat and who changed them, with the usage', async () => {
    const { settings } = setup({ cooldownMinutes: 30 });
    const shown = outcome(await settings('', member));
    expect(shown.outcome).toEqual({ type: 'shown' });
    expect(shown.settings).toEqual({
      enabled: true,
      cooldownMinutes: 30,
      muted: [],
      fromChat: [],
      whoMayChange: 'channel admins',
    });
    await settings('cooldown 2h');
    await settings('mute Tick');
    const after = outcome(await settings('show', member)).settings;
    expect(after).toMatchObject({
      cooldownMinutes: 120,
      muted: [{ name: 'Tick', by: 'UADMIN' }],
      fromChat: ['cooldownMinutes', 'muted'],
      updatedBy: 'UADMIN',
    });
    const text = renderText(outcome(await settings('', member)));
    expect(text).toContain('Automatic cards: on (default)');
    expect(text).toContain('Cooldown per actor: 2 h (set here)');
    expect(text).toContain('Muted here: Tick (by UADMIN)');
    expect(text).toMatch(/Last changed by UADMIN on \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(text).toContain('Anyone can see these; channel admins can change them.');
    expect(text).toContain(SETTINGS_USAGE.split('\n')[1]);
  });

  it('refuses a change to someone who may not make it, saying who may', async () => {
    const { settings, names } = setup();
    const refused = outcome(await settings('off', member));
    expect(refused.outcome).toEqual({ type: 'refused' });
    expect(renderText(refused)).toContain(
      "Not changed: only channel admins can change this channel's settings.",
    );
    expect(await names('Turla')).toEqual(['Turla']);
    // No access given (an adapter that does not say): nobody may change.
    const { bot } = setup();
    const unsaid = await bot.answer({
      kind: 'command',
      text: 'settings off',
      platform: 'slack',
      channel: 'C1',
    });
    expect(outcome(unsaid).outcome.type).toBe('refused');
  });

  it('answers bad arguments with the usage, and changes nothing', async () => {
    const { settings } = setup();
    const bad = outcome(await settings('cooldown soon'));
    expect(bad.outcome).toMatchObject({ type: 'invalid' });
    const text = renderText(bad);
    expect(text).toMatch(/^Not a settings command: the cooldown is a duration/);
    expect(text).toContain(SETTINGS_USAGE);
    expect(outcome(await settings('explode')).outcome).toEqual({
      type: 'invalid',
      problem: 'unknown setting',
    });
    expect(outcome(await settings('')).settings.fromChat).toEqual([]);
  });

  it('says "on" cannot work where automatic cards cannot run, and does not store it', async () => {
    const { settings } = setup({ enabled: false });
    const blocked: SettingsAccess = { ...admin, cannotEnrich: 'no Message Content intent.' };
    const reply = outcome(await settings('on', blocked));
    expect(reply.outcome).toEqual({ type: 'blocked' });
    expect(renderText(reply)).toContain('Not changed: no Message Content intent.');
    expect(outcome(await settings('', blocked)).settings).toMatchObject({
      enabled: false,
      fromChat: [],
      blocked: 'no Message Content intent.',
    });
  });

  it('says so when the store is down, and is only the settings command in a channel', async () => {
    const { settings, store, bot, advance } = setup();
    store.down = true;
    advance(SETTINGS_CACHE_MS);
    expect(await settings('off')).toEqual({
      kind: 'error',
      message: expect.stringContaining('cannot be read or saved just now'),
    });
    // No channel (the console, the CLI): "settings" is a query like any other.
    expect(
      (await bot.answer({ kind: 'command', text: 'settings', platform: 'console' }))?.kind,
    ).not.toBe('settings');
  });
});

describe('"Not this actor" in the core', () => {
  it('mutes the actor here for everyone, records who, and keeps the other lines', async () => {
    const { bot, names, settings } = setup();
    const shown = [TURLA.card.uuid, NETTRAVELER.card.uuid];
    const press = {
      kind: 'action',
      text: `mute:${NETTRAVELER.card.uuid}`,
      platform: 'slack',
      channel: 'C1',
      user: 'UBOB',
    } as const;
    const { notice, lines } = await bot.notThisActor(press, shown);
    const muted = outcome(notice);
    expect(muted.outcome).toEqual({
      type: 'changed',
      change: { type: 'mute', name: 'NetTraveler' },
    });
    expect(renderText(muted)).toContain(
      '"NetTraveler" is muted here: it gets no automatic card in this channel. To undo: /apt settings unmute NetTraveler',
    );
    expect(lines?.actors.map((a) => a.name)).toEqual(['Turla']);
    expect(await names('TEMP.Zhenbao')).toEqual([]);
    expect(outcome(await settings('', member)).settings.muted).toEqual([
      { name: 'NetTraveler', by: 'UBOB' },
    ]);

    // The last line muted: none is left (the adapter deletes the message).
    const last = await bot.notThisActor({ ...press, text: `mute:${TURLA.card.uuid}` }, [
      'x',
      TURLA.card.uuid,
    ]);
    expect(last.lines).toEqual({ kind: 'enrichment', actors: [] });
    // Through `answer` (an adapter that does not update the message): the notice alone.
    expect((await bot.answer({ ...press, text: `mute:${SOFACY.card.uuid}` }))?.kind).toBe(
      'settings',
    );
    // A forged value, a card no longer in the catalog.
    expect((await bot.notThisActor({ ...press, text: 'mute:' }, shown)).notice.kind).toBe('error');
    expect((await bot.notThisActor({ ...press, text: 'mute:gone' }, shown)).notice).toEqual({
      kind: 'error',
      message: 'That card is no longer in the catalog.',
    });
  });
});

describe('autocomplete of the settings command', () => {
  it('offers its forms for "sett", and actor names to mute after "settings mute"', () => {
    const { bot } = setup();
    expect(bot.complete('sett').map((c) => c.value)).toContain('settings off');
    expect(bot.complete('settings mute hammer')).toEqual([
      { label: 'settings mute NetTraveler', value: 'settings mute NetTraveler' },
    ]);
    // Anything else completes names as before.
    expect(bot.complete('hammer').map((c) => c.label)).toEqual(['Hammer Panda (NetTraveler)']);
  });
});
