/** What the interaction and message handlers share: the bot's port, settings, log. */
import type { Bot } from '../../src/bot.js';
import type { BotRequest, DirectRequest, Reply } from '../../src/core/types.js';
import type { Logger } from '../../src/log.js';
import type { DiscordConfig } from './config.js';

export const PLATFORM = 'discord';

/** What the Discord adapter needs from the core. */
export type DiscordBot = Pick<
  Bot,
  'handle' | 'answer' | 'revise' | 'complete' | 'cardCount' | 'store'
>;

export interface Wiring {
  bot: DiscordBot;
  config: DiscordConfig;
  log: Logger;
  /** Answer a command, mention or button at once. */
  handle(request: Omit<DirectRequest, 'platform'>): Reply | null;
  /** Through the state store: enrichment claims, button references from before a restart. */
  ask(request: Omit<BotRequest, 'platform'>): Promise<Reply | null>;
}

export function wiring(bot: DiscordBot, config: DiscordConfig, log: Logger): Wiring {
  return {
    bot,
    config,
    log,
    handle: (request) => bot.handle({ ...request, platform: PLATFORM }),
    ask: (request) => bot.answer({ ...request, platform: PLATFORM }),
  };
}
