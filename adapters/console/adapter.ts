/** The console chat's definition: no settings; it runs when no chat platform is configured. */
import type { Adapter } from '../adapter.js';

/** The console reads no variable: whether it runs depends only on the others. */
export type ConsoleConfig = Record<string, never>;

export const consoleAdapter: Adapter<ConsoleConfig, 'console'> = {
  name: 'console',
  fallback: true,
  readConfig: () => ({}),
  async start(bot, config, deps) {
    const { startConsole } = await import('./index.js');
    const stdin = deps.stdin as NodeJS.ReadStream;
    return startConsole(bot, {
      input: deps.stdin,
      output: deps.stdout,
      interactive: Boolean(stdin.isTTY),
      logFormat: config.logFormat,
    });
  },
};
