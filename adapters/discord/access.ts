/**
 * Discord's rule for channel settings: members with Manage Channels in that channel may change
 * them (Discord says so in the interaction: `memberPermissions`); anyone may see them.
 */
import { type Interaction, PermissionFlagsBits } from 'discord.js';
import type { SettingsAccess } from '../../src/core/types.js';

export const WHO_MAY_CHANGE = 'members with the Manage Channels permission in this channel';

/** Why "on" cannot work on a connection without message text. */
export const NEEDS_MESSAGE_CONTENT =
  'this bot runs without the Message Content intent, which automatic cards need. Its operator ' +
  'turns it on by listing channels in DISCORD_ENRICH_CHANNELS (the bot then asks for the intent) ' +
  'and enabling "Message Content Intent" in the Developer Portal.';

export function settingsAccess(i: Interaction, enrichmentOn: boolean): SettingsAccess {
  return {
    mayChange: () => i.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false,
    whoMayChange: WHO_MAY_CHANGE,
    ...(enrichmentOn ? {} : { cannotEnrich: NEEDS_MESSAGE_CONTENT }),
  };
}
