/** What the interaction and message handlers share: the bot's port, settings, records, log. */
import type { Bot } from '../../src/bot.js';
import type { BotRequest, DirectRequest, Reply } from '../../src/core/types.js';
import type { OptInChannels } from '../../src/detect/channels.js';
import type { Logger } from '../../src/log.js';
import { MemoryStore } from '../../src/state/memory.js';
import type { InFlight } from '../shared/in-flight.js';
import { ReplyRecords } from '../shared/reply-records.js';
import type { DiscordConfig } from './config.js';

export const PLATFORM = 'discord';

/** What the Discord adapter needs from the core. */
export type DiscordBot = Pick<
  Bot,
  'handle' | 'answer' | 'revise' | 'notThisActor' | 'complete' | 'cardCount' | 'store'
>;

/** A channel as Discord gives it: its id, and for a thread the channel it belongs to. */
export interface ChannelLike {
  id: string;
  isThread(): boolean;
  parentId?: string | null;
}

export interface Wiring {
  bot: DiscordBot;
  config: DiscordConfig;
  log: Logger;
  /** What each enrichment reply shows, so it follows its message (and "Not this actor"). */
  replies: ReplyRecords;
  /** Does this connection receive message text (the Message Content intent)? */
  enrichmentOn(): boolean;
  /**
   * Where a request comes from, for the enrichment policy: the channel, a thread's parent, and
   * whether the environment opts it in (DISCORD_ENRICH_CHANNELS).
   */
  place(
    channelId: string,
    channel: ChannelLike | null,
  ): Pick<BotRequest, 'channel' | 'parent' | 'listed'>;
  /** Answer a command, mention or button at once. */
  handle(request: Omit<DirectRequest, 'platform'>): Reply | null;
  /** Through the state store: enrichment claims, settings, buttons from before a restart. */
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
  channels: OptInChannels,
  enrichmentOn: () => boolean,
  inFlight?: InFlight,
): Wiring {
  return {
    bot,
    config,
    log,
    replies: new ReplyRecords(bot.store ?? new MemoryStore(), PLATFORM),
    enrichmentOn,
    place(channelId, channel) {
      const parent = channel?.isThread() ? (channel.parentId ?? undefined) : undefined;
      return {
        channel: channelId,
        ...(parent ? { parent } : {}),
        listed: channels.allows(channelId, parent ?? null),
      };
    },
    track: async (work) => {
      await (inFlight ? inFlight.run(work) : work());
    },
    handle: (request) => bot.handle({ ...request, platform: PLATFORM }),
    ask: (request) => bot.answer({ ...request, platform: PLATFORM }),
  };
}
