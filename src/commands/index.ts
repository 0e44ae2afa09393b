import { actorsCommand } from './actors.js';
import type { Command } from './command.js';
import { detectCommand } from './detect.js';
import { discordCommand } from './discord.js';
import { importCommand } from './import.js';
import { searchCommand } from './search.js';
import { settingsCommand } from './settings.js';
import { showCommand } from './show.js';
import { startCommand } from './start.js';
import { syncCommand } from './sync.js';
import { validateCommand } from './validate.js';

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
