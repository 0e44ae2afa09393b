/** The console chat's definition: it runs when no chat platform is configured. */
import type { Adapter } from '../adapter.js';

/** Whether the console runs depends only on the others; it reads only how to show log lines. */
export interface ConsoleConfig {
  /** LOG_FORMAT: on a terminal, log lines above the prompt in plain words (text) or as JSON. */
  logFormat: 'text' | 'json';
}

const LOG_FORMATS: readonly string[] = ['text', 'json'];

export const consoleAdapter: Adapter<ConsoleConfig, 'console'> = {
  name: 'console',
  fallback: true,
  readConfig(settings) {
    const format = settings.get('LOG_FORMAT')?.toLowerCase() ?? 'text';
    if (LOG_FORMATS.includes(format)) return { logFormat: format as ConsoleConfig['logFormat'] };
    settings.problem(`LOG_FORMAT must be text or json (got "${format.slice(0, 20)}")`);
    return { logFormat: 'text' };
  },
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
