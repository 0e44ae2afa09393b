import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  changeSettings,
  effectiveSettings,
  isMuted,
  listStoredSettings,
  MAX_MUTED,
  parseSettingsChange,
  readStoredSettings,
  settingsArguments,
  settingsCompletions,
  settingsKey,
} from '../../src/state/channel-settings.js';
import { MemoryStore } from '../../src/state/memory.js';
import { SqliteStore } from '../../src/state/sqlite.js';
import { runCli } from '../helpers/cli.js';

const defaults = { enabled: true, cooldownMinutes: 30 };

describe('parseSettingsChange', () => {
  it('reads every form of the settings command', () => {
    expect(parseSettingsChange('')).toEqual({ type: 'show' });
    expect(parseSettingsChange('  show ')).toEqual({ type: 'show' });
    expect(parseSettingsChange('OFF')).toEqual({ type: 'disable' });
    expect(parseSettingsChange('on')).toEqual({ type: 'enable' });
    expect(parseSettingsChange('cooldown 45')).toEqual({ type: 'cooldown', minutes: 45 });
    expect(parseSettingsChange('cooldown 2h')).toEqual({ type: 'cooldown', minutes: 120 });
    expect(parseSettingsChange('cooldown 1d')).toEqual({ type: 'cooldown', minutes: 1440 });
    expect(parseSettingsChange('cooldown 0')).toEqual({ type: 'cooldown', minutes: 0 });
    expect(parseSettingsChange('mute  Tick ')).toEqual({ type: 'mute', name: 'Tick' });
    expect(parseSettingsChange('unmute hammer panda')).toEqual({
      type: 'unmute',
      name: 'hammer panda',
    });
    expect(parseSettingsChange('reset')).toEqual({ type: 'reset' });
  });

  it('says what is wrong with a bad one', () => {
    expect(parseSettingsChange('cooldown soon')).toHaveProperty('error');
    expect(parseSettingsChange('cooldown 8d')).toHaveProperty('error');
    expect(parseSettingsChange('mute')).toHaveProperty('error');
    expect(parseSettingsChange('mute !!!')).toHaveProperty('error');
    expect(parseSettingsChange(`mute ${'a'.repeat(81)}`)).toHaveProperty('error');
    expect(parseSettingsChange('explode')).toEqual({ error: 'unknown setting' });
  });
});

describe('settingsArguments and settingsCompletions', () => {
  it('knows the settings command from any other query', () => {
    expect(settingsArguments('settings')).toBe('');
    expect(settingsArguments('  Settings  cooldown 2h ')).toBe('cooldown 2h');
    expect(settingsArguments('settings\nmute tick')).toBe('mute tick');
    expect(settingsArguments('settingsfoo')).toBeUndefined();
    expect(settingsArguments('apt 21 settings')).toBeUndefined();
    expect(settingsArguments('')).toBeUndefined();
  });

  it('offers the command forms for what is typed, and nothing for other text', () => {
    expect(settingsCompletions('sett')).toContain('settings');
    expect(settingsCompletions('settings c')).toEqual([
      'settings cooldown 30m',
      'settings cooldown 0',
    ]);
    expect(settingsCompletions('se')).toEqual([]);
    expect(settingsCompletions('sandworm')).toEqual([]);
    expect(settingsCompletions('settings mute hamm')).toEqual([]);
  });
});

describe('channel settings in the state store', () => {
  it('chat settings win over the environment field by field, and reset goes back to it', async () => {
    const store = new MemoryStore();
    const at = new Date('2026-12-01T10:00:00Z');
    await changeSettings(store, 'slack', 'C1', { type: 'disable' }, 'U1', at);
    await changeSettings(store, 'slack', 'C1', { type: 'mute', name: 'Tick' }, 'U2', at);
    await changeSettings(store, 'slack', 'C1', { type: 'mute', name: ' tick ' }, 'U2', at);
    const s = effectiveSettings(
      'slack',
      'C1',
      defaults,
      await readStoredSettings(store, 'slack', 'C1'),
    );
    expect(s).toMatchObject({
      enabled: false,
      cooldownMinutes: 30,
      muted: ['Tick'],
      updatedBy: 'U2',
    });
    expect(s.fromChat).toEqual(['enabled', 'muted']);
    expect(isMuted(s, 'TICK')).toBe(true);
    expect(isMuted(s, 'Tick Tock')).toBe(false);
    // Another channel, another platform: untouched.
    const other = effectiveSettings(
      'discord',
      'C1',
      defaults,
      await readStoredSettings(store, 'discord', 'C1'),
    );
    expect(other).toMatchObject({ enabled: true, muted: [], fromChat: [] });

    // Who muted each name is kept (anyone may, with "Not this actor"), and goes with the name.
    expect(s.mutedBy).toEqual({ tick: 'U2' });
    await changeSettings(store, 'slack', 'C1', { type: 'mute', name: 'Hammer Panda' }, 'U3', at);
    expect((await readStoredSettings(store, 'slack', 'C1')).mutedBy).toEqual({
      tick: 'U2',
      hammerpanda: 'U3',
    });
    await changeSettings(store, 'slack', 'C1', { type: 'unmute', name: 'hammer panda' }, 'U1', at);
    await changeSettings(store, 'slack', 'C1', { type: 'unmute', name: 'TICK' }, 'U1', at);
    expect((await readStoredSettings(store, 'slack', 'C1')).muted).toEqual([]);
    expect((await readStoredSettings(store, 'slack', 'C1')).mutedBy).toBeUndefined();
    await changeSettings(store, 'slack', 'C1', { type: 'reset' }, 'U1', at);
    expect(await readStoredSettings(store, 'slack', 'C1')).toEqual({});
  });

  it('a damaged document reads as nothing set, and the muted list is bounded', async () => {
    const store = new MemoryStore();
    await store.set(
      settingsKey('slack', 'C9'),
      '{"enabled":"yes","cooldownMinutes":-3,"muted":[1,"",null]}',
    );
    expect(await readStoredSettings(store, 'slack', 'C9')).toEqual({ muted: [] });
    // "Muted by" only for names that are muted, and only user ids that are strings.
    await store.set(
      settingsKey('slack', 'C6'),
      '{"muted":["Tick"],"mutedBy":{"tick":"U1","other":"U2","x":3}}',
    );
    expect(await readStoredSettings(store, 'slack', 'C6')).toEqual({
      muted: ['Tick'],
      mutedBy: { tick: 'U1' },
    });
    await store.set(settingsKey('slack', 'C8'), 'not json');
    expect(await readStoredSettings(store, 'slack', 'C8')).toEqual({});
    for (let i = 0; i < MAX_MUTED + 5; i++) {
      await changeSettings(store, 'slack', 'C7', { type: 'mute', name: `name${i}` }, 'U1');
    }
    const muted = (await readStoredSettings(store, 'slack', 'C7')).muted ?? [];
    expect(muted).toHaveLength(MAX_MUTED);
    expect(muted.at(-1)).toBe(`name${MAX_MUTED + 4}`);
  });
});

describe('aptcard settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aptcard-settings-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the channels changed from chat, from the state file, without echoing controls', async () => {
    const env = { STATE_DIR: dir, ENRICH_COOLDOWN_MINUTES: '15' };
    let r = await runCli(['settings'], [], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('defaults (environment): enrichment on, cooldown 15 min');
    expect(r.stdout).toContain('no channel settings changed from chat');

    const store = SqliteStore.open(dir);
    const at = new Date('2026-12-01T10:00:00Z');
    await changeSettings(store, 'slack', 'C42', { type: 'cooldown', minutes: 5 }, 'U7', at);
    await changeSettings(
      store,
      'discord',
      '1234',
      { type: 'mute', name: 'evil\u001b]0;pwned\u0007' },
      'U8',
      at,
    );
    expect(await listStoredSettings(store)).toHaveLength(2);
    await store.close();

    r = await runCli(['settings'], [], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('slack C42: cooldown 5 min (by U7 at 2026-12-01T10:00:00.000Z)');
    expect(r.stdout).toMatch(/discord 1234: muted: evil␛\]0;pwned␇ \(by U8\)/);
    expect(r.stdout).not.toContain('\u001b');

    r = await runCli(['settings', '--json'], [], env);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => `${l.platform}:${l.channel}`)).toEqual(['discord:1234', 'slack:C42']);
  });

  it('rejects arguments it does not take', async () => {
    const r = await runCli(['settings', 'on'], [], { STATE_DIR: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unexpected argument');
  });
});
