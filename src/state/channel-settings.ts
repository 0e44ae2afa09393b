/**
 * Channel controls set from chat (`/apt settings`, "Not this actor"): per channel, enrichment on
 * or off, its cooldown and the names muted there. The environment (ENRICH, ENRICH_COOLDOWN_MINUTES,
 * ENRICH_DISABLED_CHANNELS, DISCORD_ENRICH_CHANNELS) gives the defaults; what is set from chat is
 * stored and wins, field by field, until reset. One small JSON document per channel in the state
 * store, so every replica and every restart sees the same settings.
 */
// The settings command is part of the core's contract (replies carry it): defined there.
import type { SettingsChange } from '../core/types.js';
import { getJson, type StateStore } from './store.js';

export type { SettingsChange };

const KEY_PREFIX = 'settings:';
/** Enough for a channel's false alarms; a list longer than this is a sign of a script. */
export const MAX_MUTED = 100;
const MAX_NAME = 80;
const MAX_COOLDOWN_MINUTES = 7 * 24 * 60;

/** What was set from chat; an absent field follows the environment. */
export interface StoredChannelSettings {
  enabled?: boolean;
  cooldownMinutes?: number;
  /** Names as the user wrote them (compared by `mutedKey`). */
  muted?: string[];
  /**
   * Who muted each name (by its `mutedKey`): "Not this actor" lets anyone mute, so an admin can
   * see whom to ask before unmuting.
   */
  mutedBy?: Record<string, string>;
  /** Who changed them last (a platform user id) and when (ISO time): shown, never pinged. */
  updatedBy?: string;
  updatedAt?: string;
}

/** The settings in force in one channel, and where each came from. */
export interface ChannelSettings {
  platform: string;
  channel: string;
  enabled: boolean;
  cooldownMinutes: number;
  muted: string[];
  /** Who muted each name, by its `mutedKey` (absent for names muted before this was kept). */
  mutedBy: Record<string, string>;
  /** Which fields were set from chat (the others are the environment's). */
  fromChat: ('enabled' | 'cooldownMinutes' | 'muted')[];
  updatedBy?: string;
  updatedAt?: string;
}

/** What the environment says for a channel. */
export interface ChannelDefaults {
  enabled: boolean;
  cooldownMinutes: number;
}

export function settingsKey(platform: string, channel: string): string {
  return `${KEY_PREFIX}${platform}:${channel}`;
}

/** Names compare without case, spacing or punctuation: "Tick", "tick" and " TICK " are one. */
export function mutedKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Anything but a well-formed document reads as "nothing set" (a hand-edited key, an old version). */
function sanitize(doc: unknown): StoredChannelSettings {
  if (typeof doc !== 'object' || doc === null) return {};
  const d = doc as Record<string, unknown>;
  const out: StoredChannelSettings = {};
  if (typeof d.enabled === 'boolean') out.enabled = d.enabled;
  if (
    typeof d.cooldownMinutes === 'number' &&
    Number.isInteger(d.cooldownMinutes) &&
    d.cooldownMinutes >= 0 &&
    d.cooldownMinutes <= MAX_COOLDOWN_MINUTES
  )
    out.cooldownMinutes = d.cooldownMinutes;
  if (Array.isArray(d.muted)) {
    out.muted = d.muted
      .filter((n): n is string => typeof n === 'string' && mutedKey(n) !== '')
      .slice(0, MAX_MUTED);
  }
  if (out.muted?.length && typeof d.mutedBy === 'object' && d.mutedBy !== null) {
    const keys = new Set(out.muted.map(mutedKey));
    const by: Record<string, string> = {};
    for (const [key, user] of Object.entries(d.mutedBy as Record<string, unknown>)) {
      if (keys.has(key) && typeof user === 'string') by[key] = user.slice(0, 64);
    }
    if (Object.keys(by).length) out.mutedBy = by;
  }
  if (typeof d.updatedBy === 'string') out.updatedBy = d.updatedBy.slice(0, 64);
  if (typeof d.updatedAt === 'string') out.updatedAt = d.updatedAt.slice(0, 40);
  return out;
}

export async function readStoredSettings(
  store: StateStore,
  platform: string,
  channel: string,
): Promise<StoredChannelSettings> {
  return sanitize(await getJson<unknown>(store, settingsKey(platform, channel)));
}

export function effectiveSettings(
  platform: string,
  channel: string,
  defaults: ChannelDefaults,
  stored: StoredChannelSettings,
): ChannelSettings {
  const fromChat: ChannelSettings['fromChat'] = [];
  if (stored.enabled !== undefined) fromChat.push('enabled');
  if (stored.cooldownMinutes !== undefined) fromChat.push('cooldownMinutes');
  if (stored.muted?.length) fromChat.push('muted');
  return {
    platform,
    channel,
    enabled: stored.enabled ?? defaults.enabled,
    cooldownMinutes: stored.cooldownMinutes ?? defaults.cooldownMinutes,
    muted: stored.muted ?? [],
    mutedBy: stored.mutedBy ?? {},
    fromChat,
    ...(stored.updatedBy ? { updatedBy: stored.updatedBy } : {}),
    ...(stored.updatedAt ? { updatedAt: stored.updatedAt } : {}),
  };
}

/** Is this name muted here? */
export function isMuted(settings: Pick<ChannelSettings, 'muted'>, name: string): boolean {
  const key = mutedKey(name);
  return settings.muted.some((m) => mutedKey(m) === key);
}

export const SETTINGS_USAGE = [
  "/apt settings: this channel's automatic cards",
  '/apt settings on | off',
  '/apt settings cooldown 30m (or 2h, 0 for none)',
  '/apt settings mute <name> | unmute <name>',
  '/apt settings reset (back to the defaults)',
].join('\n');

/**
 * The words after "settings" when `text` is the settings command ("settings", "settings off
 * now"), else undefined (any other query, "settingsfoo").
 */
export function settingsArguments(text: string): string | undefined {
  const m = /^\s*settings(?:\s+([\s\S]*))?$/i.exec(text);
  return m ? (m[1] ?? '').trim() : undefined;
}

/** The forms of the settings command, offered as someone types "sett..." (Discord's autocomplete). */
const SETTINGS_FORMS = [
  'settings',
  'settings on',
  'settings off',
  'settings cooldown 30m',
  'settings cooldown 0',
  'settings mute ',
  'settings unmute ',
  'settings reset',
];

/**
 * The settings command's forms that continue what was typed, when it is the start of one
 * ("sett", "settings c"); none for anything else (three letters at least, so a name that
 * merely starts with "s" is not crowded out). "settings mute hamm" gets none: the caller
 * completes the name.
 */
export function settingsCompletions(typed: string): string[] {
  const text = typed.trimStart().toLowerCase().replace(/\s+/g, ' ');
  if (text.length < 3) return [];
  if (!'settings'.startsWith(text) && !text.startsWith('settings')) return [];
  return SETTINGS_FORMS.filter((form) => form.startsWith(text));
}

/** "10", "10m", "2h", "1d" -> minutes; undefined when not a duration in range. */
function parseMinutes(text: string): number | undefined {
  const m = /^(\d{1,5})\s*(m|min|mins|minutes?|h|hours?|d|days?)?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? 'm')[0]!.toLowerCase();
  const minutes = Number(m[1]) * (unit === 'h' ? 60 : unit === 'd' ? 1440 : 1);
  return minutes <= MAX_COOLDOWN_MINUTES ? minutes : undefined;
}

/** The words after "settings" (already stripped of it), as a change, or why they are not one. */
export function parseSettingsChange(args: string): SettingsChange | { error: string } {
  const text = args.trim();
  if (!text) return { type: 'show' };
  const space = text.search(/\s/);
  const verb = (space < 0 ? text : text.slice(0, space)).toLowerCase();
  const rest = space < 0 ? '' : text.slice(space + 1).trim();
  switch (verb) {
    case 'show':
      return { type: 'show' };
    case 'on':
    case 'enable':
      return { type: 'enable' };
    case 'off':
    case 'disable':
      return { type: 'disable' };
    case 'reset':
      return { type: 'reset' };
    case 'cooldown': {
      const minutes = parseMinutes(rest);
      return minutes === undefined
        ? {
            error:
              'the cooldown is a duration up to 7 days: "cooldown 30m", "cooldown 2h", "cooldown 0"',
          }
        : { type: 'cooldown', minutes };
    }
    case 'mute':
    case 'unmute': {
      if (!mutedKey(rest)) return { error: `say which name: "${verb} tick"` };
      if (rest.length > MAX_NAME) return { error: `a name is at most ${MAX_NAME} characters` };
      return { type: verb, name: rest };
    }
    default:
      return { error: 'unknown setting' };
  }
}

/**
 * Apply a change and store it (not "show"). Returns the new stored document. Two admins changing
 * the same channel at the same moment: the last write wins, which is what a settings screen does.
 */
export async function changeSettings(
  store: StateStore,
  platform: string,
  channel: string,
  change: Exclude<SettingsChange, { type: 'show' }>,
  by: string,
  now: Date = new Date(),
): Promise<StoredChannelSettings> {
  const key = settingsKey(platform, channel);
  if (change.type === 'reset') {
    await store.delete(key);
    return {};
  }
  const next = { ...(await readStoredSettings(store, platform, channel)) };
  const muted = next.muted ?? [];
  const mutedBy = { ...next.mutedBy };
  switch (change.type) {
    case 'enable':
      next.enabled = true;
      break;
    case 'disable':
      next.enabled = false;
      break;
    case 'cooldown':
      next.cooldownMinutes = change.minutes;
      break;
    case 'mute':
      if (!isMuted({ muted }, change.name)) {
        next.muted = [...muted, change.name].slice(-MAX_MUTED);
        mutedBy[mutedKey(change.name)] = by.slice(0, 64);
      }
      break;
    case 'unmute':
      next.muted = muted.filter((m) => mutedKey(m) !== mutedKey(change.name));
      break;
  }
  // Only the names still muted keep a "muted by" (the oldest fall off past MAX_MUTED).
  const still = new Set((next.muted ?? []).map(mutedKey));
  const whoMuted = Object.entries(mutedBy).filter(([key]) => still.has(key));
  next.mutedBy = whoMuted.length ? Object.fromEntries(whoMuted) : undefined;
  next.updatedBy = by.slice(0, 64);
  next.updatedAt = now.toISOString();
  await store.set(key, JSON.stringify(next));
  return next;
}

/** Every channel with settings from chat, for `aptcard settings`. */
export async function listStoredSettings(
  store: StateStore,
): Promise<{ platform: string; channel: string; settings: StoredChannelSettings }[]> {
  const out = [];
  for (const [key, raw] of await store.entries(KEY_PREFIX)) {
    const rest = key.slice(KEY_PREFIX.length);
    const colon = rest.indexOf(':');
    if (colon < 0) continue;
    let doc: unknown;
    try {
      doc = JSON.parse(raw);
    } catch {
      continue;
    }
    out.push({
      platform: rest.slice(0, colon),
      channel: rest.slice(colon + 1),
      settings: sanitize(doc),
    });
  }
  return out.sort((a, b) =>
    `${a.platform}:${a.channel}`.localeCompare(`${b.platform}:${b.channel}`),
  );
}
