/** What the interaction and message handlers share: the bot's port, settings, log. */
import type { Bot, BotRequest, DirectRequest } from '../../src/bot.js';
import type { Logger } from '../../src/log.js';
import type { Reply } from '../../src/reply/model.js';
import type { InFlight } from '../shared/in-flight.js';
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
  /**
   * Run one event's handling as a tracked reply, so a shutdown waits for it (up to its
   * deadline); once the shutdown has begun, new events are not handled.
   */
  track(work: () => Promise<void>): Promise<void>;
}

export function wiring(
  bot: DiscordBot,
  config: DiscordConfig,
  log: Logger,
  inFlight?: InFlight,
): Wiring {
  return {
    bot,
    config,
    log,
    track: async (work) => {
      await (inFlight ? inFlight.run(work) : work());
    },
    handle: (request) => bot.handle({ ...request, platform: PLATFORM }),
    ask: (request) => bot.answer({ ...request, platform: PLATFORM }),
  };
}
