/**
 * The application layer (app/) is the only place that knows both the core (src/) and the chat
 * adapters (adapters/): `start` and `discord` live here, the other commands in src/commands/.
 * Each command's module is imported when it runs: a warm `aptcard search` spends most of its
 * start loading modules, and a search needs neither the chat platforms nor the importers.
 */
import type { CommandEntry } from '../../src/commands/command.js';

/** Every `aptcard` command, in the order `aptcard --help` lists them. */
export const COMMANDS: CommandEntry[] = [
  {
    name: 'search',
    summary: 'search the catalog (free text and filters)',
    load: async () => (await import('../../src/commands/search.js')).searchCommand,
  },
  {
    name: 'show',
    summary: 'print one card (text, the original markdown, or JSON)',
    load: async () => (await import('../../src/commands/show.js')).showCommand,
  },
  {
    name: 'actors',
    summary: 'list the actors the cards are grouped into, or say why (--explain)',
    load: async () => (await import('../../src/commands/actors.js')).actorsCommand,
  },
  {
    name: 'detect',
    summary: 'find the actors a chat message names (what automatic enrichment sees)',
    load: async () => (await import('../../src/commands/detect.js')).detectCommand,
  },
  {
    name: 'validate',
    summary: 'check a cards folder: errors (exit 1) and warnings',
    load: async () => (await import('../../src/commands/validate.js')).validateCommand,
  },
  {
    name: 'import',
    summary:
      'import public catalogs (ETDA, MISP galaxy, STIX 2.1 / ATT&CK) as cards; re-run to update',
    load: async () => (await import('../../src/commands/import.js')).importCommand,
  },
  {
    name: 'sync',
    summary: 'import every public catalog (ETDA, MISP galaxy, ATT&CK) into its own sub-folder',
    load: async () => (await import('../../src/commands/sync.js')).syncCommand,
  },
  {
    name: 'settings',
    summary: 'list the channel settings changed from chat (/apt settings), from the state store',
    load: async () => (await import('../../src/commands/settings.js')).settingsCommand,
  },
  {
    name: 'start',
    summary: 'run the bot: Slack and/or Discord when their tokens are set, else a console chat',
    load: async () => (await import('./start.js')).startCommand,
  },
  {
    name: 'discord',
    summary: 'Discord set-up: register the /apt command, print the invite link',
    load: async () => (await import('./discord.js')).discordCommand,
  },
];
