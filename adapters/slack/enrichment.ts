/**
 * Automatic enrichment: a channel message a person wrote that names actors gets a short reply
 * in its thread, once (a retried or duplicate delivery posts nothing); edits and deletes are
 * followed by follow.ts.
 */
import type { App, types } from '@slack/bolt';
import type { SlackContext } from './context.js';
import { slackToPlain } from './text.js';

/** Message subtypes that are still a person writing in the channel. */
const USER_SUBTYPES = new Set(['thread_broadcast', 'file_share']);

interface ChannelMessage {
  channel: string;
  user: string;
  text: string;
  ts: string;
  thread_ts?: string;
}

/**
 * A channel message a person wrote, worth scanning for actor names; undefined for bots, the bot
 * itself, edits, joins, topic changes and other subtypes, DMs, and messages that mention the
 * bot (the app_mention handler answers those).
 */
export function enrichableMessage(
  event: types.MessageEvent,
  botUserId: string | undefined,
  botId: string | undefined,
): ChannelMessage | undefined {
  if (event.subtype !== undefined && !USER_SUBTYPES.has(event.subtype)) return undefined;
  if (!('user' in event) || typeof event.user !== 'string' || !event.user) return undefined;
  if ('bot_id' in event && event.bot_id) return undefined;
  if ('bot_profile' in event && event.bot_profile) return undefined;
  if (event.user === botUserId || (botId && 'bot_id' in event && event.bot_id === botId)) {
    return undefined;
  }
  if (event.channel_type !== 'channel' && event.channel_type !== 'group') return undefined;
  const text = 'text' in event && typeof event.text === 'string' ? event.text : '';
  if (!text.trim()) return undefined;
  if (botUserId && text.includes(`<@${botUserId}`)) return undefined;
  return {
    channel: event.channel,
    user: event.user,
    text,
    ts: event.ts,
    ...('thread_ts' in event && typeof event.thread_ts === 'string'
      ? { thread_ts: event.thread_ts }
      : {}),
  };
}

export function wireEnrichment(app: App, ctx: SlackContext): void {
  const { dedupe, logger, replies } = ctx;
  app.event('message', async ({ event, body, context, client }) => {
    const msg = enrichableMessage(event, context.botUserId, context.botId);
    if (!msg) return;
    // Nobody asked: unless this delivery is surely the first, post nothing.
    const claim = await dedupe.claim(`event:${body.event_id}`, `message:${msg.channel}:${msg.ts}`);
    if (claim !== 'fresh') {
      logger.debug({ eventId: body.event_id, retry: context.retryNum, claim }, 'message skipped');
      return;
    }
    const reply = await ctx.ask({
      kind: 'message',
      text: slackToPlain(msg.text),
      channel: msg.channel,
      user: msg.user,
      messageId: msg.ts,
      edited: false,
      fromBot: false,
    });
    if (!reply) return;
    if (reply.kind !== 'enrichment') {
      // Nobody asked: an apology under an ordinary message would be noise. The log has it.
      if (reply.kind === 'error') logger.warn({ channel: msg.channel }, 'enrichment failed');
      return;
    }
    const posted = await ctx.post(client, msg.channel, msg.thread_ts ?? msg.ts, ctx.render(reply));
    await replies.remember(msg.channel, msg.ts, posted.ts, reply);
  });
}
