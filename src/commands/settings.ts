import { ConfigError, loadConfig } from '../config.js';
import { log } from '../log.js';
import { forTerminal } from '../reply/terminal.js';
import {
  listStoredSettings,
  mutedKey,
  type StoredChannelSettings,
} from '../state/channel-settings.js';
import { StoreUnavailableError } from '../state/store.js';
import { type Command, UsageError } from './command.js';
import { openCommandStore } from './open-store.js';
import { parse } from './shared.js';

/** "Tick (by U8)": who muted a name, so an admin knows whom to ask before unmuting it. */
function mutedText(name: string, s: StoredChannelSettings): string {
  const by = s.mutedBy?.[mutedKey(name)];
  return by ? `${name} (by ${by})` : name;
}

export const settingsCommand: Command = {
  name: 'settings',
  usage: `aptcard settings [--json]

Prints the enrichment defaults from the environment, then every channel whose settings were
changed from chat with "/apt settings" or "Not this actor": on or off, cooldown, muted names
(with who muted each), who changed them last and when. Reads the same state store as "aptcard start" (STATE_DIR, or
REDIS_URL). Settings are changed from chat, where the platform says who may change them.

--json   one JSON object per channel, one per line`,
  async run(args, io) {
    const { values, positionals } = parse(args, { json: { type: 'boolean' } });
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig(io.env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      io.stderr.write(`aptcard: ${err.message}\nSee .env.example for every setting.\n`);
      return 2;
    }
    log.level = config.logLevel === 'info' ? 'warn' : config.logLevel;
    const store = await openCommandStore(io, config.state);
    if (!store) return 2;
    try {
      const channels = await listStoredSettings(store);
      if (values.json) {
        for (const c of channels) io.stdout.write(`${JSON.stringify(c)}\n`);
        return 0;
      }
      const e = config.enrichment;
      io.stdout.write(
        `defaults (environment): enrichment ${e.enabled ? 'on' : 'off'}, cooldown ${e.cooldownMinutes} min` +
          `${e.disabledChannels.length ? `, off in ${e.disabledChannels.join(', ')}` : ''}` +
          ' (Discord: only where DISCORD_ENRICH_CHANNELS lists, unless switched on from chat)\n',
      );
      if (channels.length === 0) {
        io.stdout.write(`no channel settings changed from chat (state: ${store.name})\n`);
        return 0;
      }
      for (const { platform, channel, settings: s } of channels) {
        const parts = [
          s.enabled === undefined ? undefined : s.enabled ? 'on' : 'off',
          s.cooldownMinutes === undefined ? undefined : `cooldown ${s.cooldownMinutes} min`,
          s.muted?.length
            ? `muted: ${s.muted.map((name) => mutedText(name, s)).join(', ')}`
            : undefined,
        ].filter(Boolean);
        const who = [s.updatedBy && `by ${s.updatedBy}`, s.updatedAt && `at ${s.updatedAt}`]
          .filter(Boolean)
          .join(' ');
        // Names and ids were typed in chat: nothing in them may drive the terminal.
        const line = `${platform} ${channel}: ${parts.join('; ') || 'defaults'}${who ? ` (${who})` : ''}`;
        io.stdout.write(`${forTerminal(line)}\n`);
      }
      return 0;
    } catch (err) {
      if (!(err instanceof StoreUnavailableError)) throw err;
      io.stderr.write(
        `aptcard: the state store (${store.name}) is not answering: ${err.message}\n`,
      );
      return 1;
    } finally {
      await store.close();
    }
  },
};
