/** The Discord adapter's settings (DISCORD_*), read through the core's Settings engine. */
import type { Settings } from '../../src/config.js';

export interface DiscordConfig {
  token: string;
  applicationId: string;
  apiUrl?: string;
  answerInChannel: boolean;
  /**
   * DISCORD_ENRICH_CHANNELS: the channel ids where automatic enrichment may run ('*': all);
   * empty: none (on Discord enrichment is opt-in). The enrichment policy applies it
   * (src/detect/channels.ts).
   */
  enrichChannels: string[];
}

/** The Discord settings, or undefined when DISCORD_TOKEN is not set (no Discord adapter). */
export function readDiscordConfig(settings: Settings): DiscordConfig | undefined {
  const token = settings.secret('DISCORD_TOKEN');
  const applicationId = settings.get('DISCORD_APPLICATION_ID');
  const apiUrl = settings.url('DISCORD_API_URL');
  if (applicationId !== undefined && !/^\d{5,25}$/.test(applicationId)) {
    settings.problem('DISCORD_APPLICATION_ID must be the numeric application id');
  }
  if (!token) return undefined;
  if (!applicationId) settings.problem('DISCORD_TOKEN is set but DISCORD_APPLICATION_ID is not');
  return {
    token,
    applicationId: applicationId ?? '',
    ...(apiUrl ? { apiUrl } : {}),
    answerInChannel: settings.bool('DISCORD_ANSWER_IN_CHANNEL', false),
    enrichChannels: settings.list('DISCORD_ENRICH_CHANNELS'),
  };
}
