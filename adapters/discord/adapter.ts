/** The Discord adapter's definition: its settings, and a start that loads discord.js then. */
import type { Adapter } from '../adapter.js';
import { type DiscordConfig, readDiscordConfig } from './config.js';

export const discordAdapter: Adapter<DiscordConfig, 'discord'> = {
  name: 'discord',
  readConfig: readDiscordConfig,
  async start(bot, config, deps) {
    const { startDiscord } = await import('./index.js');
    return startDiscord(bot, config, { enrichment: deps.enrichment });
  },
};
