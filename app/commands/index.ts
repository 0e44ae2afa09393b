/**
 * The application layer (app/) is the only place that knows both the core (src/) and the chat
 * adapters (adapters/): `start` and `discord` live here, the other commands in src/commands/.
 */
import { actorsCommand } from '../../src/commands/actors.js';
import type { Command } from '../../src/commands/command.js';
import { detectCommand } from '../../src/commands/detect.js';
import { importCommand } from '../../src/commands/import.js';
import { searchCommand } from '../../src/commands/search.js';
import { settingsCommand } from '../../src/commands/settings.js';
import { showCommand } from '../../src/commands/show.js';
import { syncCommand } from '../../src/commands/sync.js';
import { validateCommand } from '../../src/commands/validate.js';
import { discordCommand } from './discord.js';
import { startCommand } from './start.js';

/** Every `aptcard` command, in the order `aptcard --help` lists them. */
export const COMMANDS: Command[] = [
  searchCommand,
  showCommand,
  actorsCommand,
  detectCommand,
  validateCommand,
  importCommand,
  syncCommand,
  settingsCommand,
  startCommand,
  discordCommand,
];
