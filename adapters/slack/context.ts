/** What every Slack handler shares: the bot's port, settings, claims, records, and how to answer. */
import type { webApi } from '@slack/bolt';
import type { Bot } from '../../src/bot.js';
import type { BotRequest, Reply } from '../../src/core/types.js';
import type { Logger } from '../../src/log.js';
import { MESSAGES } from '../../src/reply/messages.js';
import type { ReplyRecords } from '../shared/reply-records.js';
import type { SlackAdmins } from './admins.js';
import type { SlackConfig } from './config.js';
import type { EventClaims } from './dedupe.js';
import { errorMessage, renderReply, type SlackMessage } from './render.js';

export const PLATFORM = 'slack';

/**
 * Pauses before posting pictures again while Slack processes them: it took about a second in
 * the reports on Slack's SDKs; past 7 s in all, the pictures go out as a file message instead.
 */
export const FILE_WAITS_MS: readonly number[] = [1000, 2000, 4000];

/** What the adapter needs from the core. */
export type SlackBot = Pick<Bot, 'answer' | 'revise' | 'notThisActor' | 'cardCount' | 'store'>;

export interface SlackContext {
  bot: SlackBot;
  config: SlackConfig;
  logger: Logger;
  /** Claims on events and shares, so retries and replicas never post twice. */
  dedupe: EventClaims;
  /** What each enrichment reply shows, so it follows its message's edits. */
  replies: ReplyRecords;
  /** Who may change channel settings (admins, owners, ADMIN_USERS). */
  admins: SlackAdmins;
  /** Ask the core; a throw here (or from a platform hiccup) becomes a logged error reply. */
  ask(request: Omit<BotRequest, 'platform'>): Promise<Reply | null>;
  /** Render for Slack; a renderer failure becomes the short apology (and a log line). */
  render(reply: Reply, share?: string, cmd?: string): SlackMessage;
  /** Fires at the shutdown deadline: a pause between tries (pictures.ts) ends with it. */
  abort: AbortSignal;
  /** The pauses before each new try of a message whose pictures Slack is still processing. */
  fileWaitsMs: readonly number[];
  /** Post a message in a channel, in a thread when `threadTs` is given. */
  post(
    client: webApi.WebClient,
    channel: string,
    threadTs: string | undefined,
    message: SlackMessage,
  ): Promise<webApi.ChatPostMessageResponse>;
}

export function slackContext(
  bot: SlackBot,
  config: SlackConfig,
  logger: Logger,
  dedupe: EventClaims,
  replies: ReplyRecords,
  admins: SlackAdmins,
  timing: { abort?: AbortSignal; fileWaitsMs?: readonly number[] } = {},
): SlackContext {
  return {
    bot,
    config,
    logger,
    dedupe,
    replies,
    admins,
    abort: timing.abort ?? new AbortController().signal,
    fileWaitsMs: timing.fileWaitsMs ?? FILE_WAITS_MS,
    async ask(request) {
      try {
        return await bot.answer({ ...request, platform: PLATFORM });
      } catch (err) {
        logger.error({ err, kind: request.kind }, 'bot failed to answer');
        return { kind: 'error', message: MESSAGES.failed };
      }
    },
    render(reply, share, cmd) {
      try {
        return renderReply(reply, { ...(share ? { share } : {}), ...(cmd ? { cmd } : {}) });
      } catch (err) {
        logger.error({ err, kind: reply.kind }, 'rendering failed');
        return errorMessage();
      }
    },
    post: (client, channel, threadTs, message) =>
      client.chat.postMessage({
        channel,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
      }),
  };
}
