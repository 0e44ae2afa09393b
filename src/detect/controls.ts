/**
 * Channel controls from chat, the enrichment policy's side: the settings in force in a channel
 * (the environment's defaults, overridden field by field by what `/apt settings` stored), read
 * through a short cache, and the answers to `/apt settings` and "Not this actor". Who may change
 * settings is the platform's rule: the adapter hands it over in `BotRequest.access`.
 */

import type { EnrichmentConfig } from '../config.js';
import type { BotRequest, Reply, SettingsOutcome, SettingsView } from '../core/types.js';
import { MESSAGES } from '../reply/messages.js';
import {
  type ChannelDefaults,
  type ChannelSettings,
  effectiveSettings,
  isMuted,
  mutedKey,
  parseSettingsChange,
  type SettingsChange,
} from '../state/channel-settings.js';
import { SettingsCache } from '../state/settings-cache.js';
import { type StateStore, StoreUnavailableError } from '../state/store.js';
import { channelKey } from './channels.js';

type Change = Exclude<SettingsChange, { type: 'show' }>;

export class ChannelControls {
  private readonly disabled: Set<string>;
  private readonly cache: SettingsCache;

  constructor(
    private readonly config: EnrichmentConfig,
    store: StateStore,
    now: () => number = Date.now,
  ) {
    this.disabled = new Set(config.disabledChannels.map(channelKey));
    this.cache = new SettingsCache(store, now);
  }

  /** The channel whose settings apply: a thread follows its parent. */
  static channelOf(request: BotRequest): string {
    return request.parent ?? request.channel ?? '';
  }

  /**
   * What the environment says for this channel: ENRICH, ENRICH_DISABLED_CHANNELS (the channel
   * or the thread's parent), and where enrichment is opt-in whether it is listed.
   */
  defaults(request: BotRequest): ChannelDefaults {
    const { channel, parent } = request;
    const off = [channel, parent].some((c) => c !== undefined && this.disabled.has(channelKey(c)));
    return {
      enabled: this.config.enabled && !off && request.listed !== false,
      cooldownMinutes: this.config.cooldownMinutes,
    };
  }

  /** The settings in force for the request's channel. Rejects with StoreUnavailableError. */
  async settingsFor(request: BotRequest): Promise<ChannelSettings> {
    const channel = ChannelControls.channelOf(request);
    const stored = await this.cache.read(request.platform, channel);
    return effectiveSettings(request.platform, channel, this.defaults(request), stored);
  }

  /** `/apt settings <args>`: show the settings, or change them when this user may. */
  async command(request: BotRequest, args: string): Promise<Reply> {
    const parsed = parseSettingsChange(args);
    try {
      const before = await this.settingsFor(request);
      if ('error' in parsed)
        return this.reply(request, before, { type: 'invalid', problem: parsed.error });
      if (parsed.type === 'show') return this.reply(request, before, { type: 'shown' });
      if (!(await request.access?.mayChange()))
        return this.reply(request, before, { type: 'refused' });
      if (parsed.type === 'enable' && request.access?.cannotEnrich)
        return this.reply(request, before, { type: 'blocked' });
      return await this.change(request, before, parsed);
    } catch (err) {
      if (err instanceof StoreUnavailableError) return unavailable();
      throw err;
    }
  }

  /** "Not this actor": mute `name` in the request's channel; anyone may, and who did is kept. */
  async mute(request: BotRequest, name: string): Promise<Reply> {
    try {
      return await this.change(request, await this.settingsFor(request), { type: 'mute', name });
    } catch (err) {
      if (err instanceof StoreUnavailableError) return unavailable();
      throw err;
    }
  }

  private async change(
    request: BotRequest,
    before: ChannelSettings,
    change: Change,
  ): Promise<Reply> {
    const channel = ChannelControls.channelOf(request);
    const stored = await this.cache.change(request.platform, channel, change, request.user ?? '');
    const after = effectiveSettings(request.platform, channel, this.defaults(request), stored);
    const unchanged =
      (change.type === 'mute' && isMuted(before, change.name)) ||
      (change.type === 'unmute' && !isMuted(before, change.name));
    return this.reply(request, after, {
      type: 'changed',
      change,
      ...(unchanged ? { unchanged } : {}),
    });
  }

  private reply(request: BotRequest, s: ChannelSettings, outcome: SettingsOutcome): Reply {
    const { access } = request;
    const settings: SettingsView = {
      enabled: s.enabled,
      cooldownMinutes: s.cooldownMinutes,
      muted: s.muted.map((name) => {
        const by = s.mutedBy[mutedKey(name)];
        return by ? { name, by } : { name };
      }),
      fromChat: s.fromChat,
      ...(s.updatedBy ? { updatedBy: s.updatedBy } : {}),
      ...(s.updatedAt ? { updatedAt: s.updatedAt } : {}),
      ...(access ? { whoMayChange: access.whoMayChange } : {}),
      ...(access?.cannotEnrich ? { blocked: access.cannotEnrich } : {}),
    };
    return { kind: 'settings', settings, outcome };
  }
}

function unavailable(): Reply {
  return { kind: 'error', message: MESSAGES.settingsUnavailable };
}
