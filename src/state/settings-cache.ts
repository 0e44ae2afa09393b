/**
 * Channel settings read through a short in-process cache, so a busy channel does not read the
 * state store for every message. A change made by this process is seen at once (it replaces the
 * cached entry); one made by another replica within `ttlMs`.
 */
import {
  changeSettings,
  readStoredSettings,
  type SettingsChange,
  type StoredChannelSettings,
} from './channel-settings.js';
import type { StateStore } from './store.js';

/** A few seconds: what another replica's change may take to be seen here. */
export const SETTINGS_CACHE_MS = 5_000;
/** Channels kept; past this the oldest entry goes (a bot in thousands of channels). */
const MAX_CHANNELS = 2_000;

interface Entry {
  at: number;
  value: Promise<StoredChannelSettings>;
}

export class SettingsCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly store: StateStore,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = SETTINGS_CACHE_MS,
  ) {}

  /**
   * What was set from chat in this channel. Concurrent reads of one channel share one store
   * call; a failed read is not cached (the next message tries again) and rejects with the
   * store's error (StoreUnavailableError when it is down).
   */
  read(platform: string, channel: string): Promise<StoredChannelSettings> {
    const key = `${platform}:${channel}`;
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const value = readStoredSettings(this.store, platform, channel);
    this.put(key, { at: now, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  /** Change and store the settings; this process sees the result at once. */
  async change(
    platform: string,
    channel: string,
    change: Exclude<SettingsChange, { type: 'show' }>,
    by: string,
  ): Promise<StoredChannelSettings> {
    const key = `${platform}:${channel}`;
    // Forget first: were the write to fail half-way, the next read asks the store.
    this.entries.delete(key);
    const stored = await changeSettings(
      this.store,
      platform,
      channel,
      change,
      by,
      new Date(this.now()),
    );
    this.put(key, { at: this.now(), value: Promise.resolve(stored) });
    return stored;
  }

  private put(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > MAX_CHANNELS) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
