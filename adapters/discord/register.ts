/**
 * The `/apt` command definition, its registration through Discord's REST API, and the invite
 * link. Registration overwrites the application's command set (aptcard has one command), in one
 * guild (instant, for testing) or globally (may take up to an hour to reach every client).
 */

import { REST } from 'discord.js';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPutAPIApplicationCommandsJSONBody,
  type RESTPutAPIApplicationCommandsResult,
  Routes,
} from 'discord-api-types/v10';

export const COMMAND_NAME = 'apt';
export const QUERY_OPTION = 'query';
/** Queries are short; the core cuts longer ones anyway. */
export const QUERY_MAX_LENGTH = 200;

export function commandDefinitions(): RESTPutAPIApplicationCommandsJSONBody {
  return [
    {
      type: ApplicationCommandType.ChatInput,
      name: COMMAND_NAME,
      description:
        'Who is this threat actor? Look up an actor card by name, alias, UUID or filters',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: QUERY_OPTION,
          description:
            'A name or alias (APT 21, Hammer Panda), a card UUID, or filters (country:china)',
          required: true,
          autocomplete: true,
          max_length: QUERY_MAX_LENGTH,
        },
      ],
      integration_types: [ApplicationIntegrationType.GuildInstall],
      contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    },
  ];
}

/**
 * What the bot needs in a channel: see it, read the history a reply refers to, send (also in
 * threads) and embed.
 */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory;

export function inviteUrl(applicationId: string): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    scope: 'bot applications.commands',
    permissions: BOT_PERMISSIONS.toString(),
  });
  return `https://discord.com/oauth2/authorize?${params.toString().replace(/\+/g, '%20')}`;
}

export interface RegisterOptions {
  token: string;
  applicationId: string;
  apiUrl?: string;
  guildId?: string;
}

/** PUT the command set; resolves with the registered commands (ids assigned by Discord). */
export async function registerCommands(
  options: RegisterOptions,
): Promise<RESTPutAPIApplicationCommandsResult> {
  const rest = new REST(options.apiUrl ? { api: options.apiUrl.replace(/\/+$/, '') } : {});
  rest.setToken(options.token);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  const result = await rest.put(route, { body: commandDefinitions() });
  return Array.isArray(result) ? (result as RESTPutAPIApplicationCommandsResult) : [];
}
