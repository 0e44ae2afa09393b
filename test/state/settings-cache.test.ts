/** Channel settings through the short in-process cache: few store reads, own changes at once. */
import { describe, expect, it } from 'vitest';
import { changeSettings } from '../../src/state/channel-settings.js';
import { MemoryStore } from '../../src/state/memory.js';
import { SETTINGS_CACHE_MS, SettingsCache } from '../../src/state/settings-cache.js';
import { StoreUnavailableError } from '../../src/state/store.js';

/** A memory store that counts reads and can be made to fail. */
class CountingStore extends MemoryStore {
  gets = 0;
  down = false;
  override async get(key: string): Promise<string | undefined> {
    this.gets++;
    if (this.down) throw new StoreUnavailableError('down for the test');
    return super.get(key);
  }
}

function setup() {
  let clock = 1_000_000;
  const store = new CountingStore(() => clock);
  const cache = new SettingsCache(store, () => clock);
  return { store, cache, advance: (ms: number) => (clock += ms) };
}

describe('SettingsCache', () => {
  it('reads the store once per channel for a few seconds, then again', async () => {
    const { store, cache, advance } = setup();
    const reads = await Promise.all(Array.from({ length: 20 }, () => cache.read('slack', 'C1')));
    expect(reads.every((r) => Object.keys(r).length === 0)).toBe(true);
    for (let i = 0; i < 50; i++) await cache.read('slack', 'C1');
    expect(store.gets).toBe(1);
    await cache.read('slack', 'C2');
    await cache.read('discord', 'C1');
    expect(store.gets).toBe(3);
    advance(SETTINGS_CACHE_MS);
    await cache.read('slack', 'C1');
    expect(store.gets).toBe(4);
  });

  it("sees this process's change at once, another process's after the cache time", async () => {
    const { store, cache, advance } = setup();
    expect(await cache.read('slack', 'C1')).toEqual({});
    await cache.change('slack', 'C1', { type: 'disable' }, 'U1');
    expect(await cache.read('slack', 'C1')).toMatchObject({ enabled: false, updatedBy: 'U1' });

    // Another replica turns it back on: seen here once the entry is older than the cache time.
    await changeSettings(store, 'slack', 'C1', { type: 'enable' }, 'U2');
    expect((await cache.read('slack', 'C1')).enabled).toBe(false);
    advance(SETTINGS_CACHE_MS);
    expect((await cache.read('slack', 'C1')).enabled).toBe(true);
  });

  it('does not keep a failed read: the next one asks the store again', async () => {
    const { store, cache } = setup();
    store.down = true;
    await expect(cache.read('slack', 'C1')).rejects.toBeInstanceOf(StoreUnavailableError);
    store.down = false;
    expect(await cache.read('slack', 'C1')).toEqual({});
    expect(store.gets).toBe(2);
  });
});
