/**
 * Enrichment replies follow their message: an edit that no longer names an actor drops that
 * line (and deletes the reply when none is left), an edit naming a new actor adds it, a deleted
 * message takes its reply with it. What each reply shows is kept in the state store
 * (`slack:reply:<channel>:<ts>`), so this works after a restart and on any replica.
 */
import type { App, types, webApi } from '@slack/bolt';
import type { BotRequest } from '../../src/core/types.js';
import { PLATFORM, type SlackContext } from './context.js';
import type { SlackMessage } from './render.js';
import { slackToPlain } from './text.js';

interface EditedMessage {
  user?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  bot_id?: string;
  subtype?: string;
}

/** Listen for message_changed and message_deleted and bring the bot's replies in line. */
export function followEdits(app: App, ctx: SlackContext): void {
  const { bot, replies: records, dedupe, logger } = ctx;

  const update = (client: webApi.WebClient, channel: string, ts: string, m: SlackMessage) =>
    client.chat.update({ channel, ts, text: m.text, blocks: m.blocks });

  app.event('message', async ({ event, body, context, client }) => {
    const e = event as types.MessageEvent & {
      subtype?: string;
      channel: string;
      channel_type?: string;
      message?: EditedMessage;
      deleted_ts?: string;
    };
    if (e.subtype !== 'message_changed' && e.subtype !== 'message_deleted') return;
    if (e.channel_type !== undefined && e.channel_type !== 'channel' && e.channel_type !== 'group')
      return;
    if ((await dedupe.claim(`event:${body.event_id}`)) !== 'fresh') return;

    try {
      if (e.subtype === 'message_deleted') {
        if (!e.deleted_ts) return;
        const record = await records.get(e.channel, e.deleted_ts);
        if (!record) return;
        await client.chat.delete({ channel: e.channel, ts: record.ts });
        await records.forget(e.channel, e.deleted_ts);
        return;
      }

      const m = e.message;
      if (!m?.ts || !m.user || m.bot_id || m.user === context.botUserId) return;
      const text = m.text ?? '';
      if (context.botUserId && text.includes(`<@${context.botUserId}`)) return;
      const request: BotRequest = {
        kind: 'message',
        text: slackToPlain(text),
        platform: PLATFORM,
        channel: e.channel,
        user: m.user,
        messageId: m.ts,
        edited: true,
        fromBot: false,
      };
      const record = await records.get(e.channel, m.ts);
      if (!record) {
        // No reply yet: an edit that now names an actor gets one, as a new message would.
        const reply = await bot.answer(request);
        if (reply?.kind !== 'enrichment' || reply.actors.length === 0) return;
        const posted = await ctx.post(client, e.channel, m.thread_ts ?? m.ts, ctx.render(reply));
        await records.remember(e.channel, m.ts, posted.ts, reply);
        return;
      }
      const revised = await bot.revise(request, record.uuids);
      if (revised?.kind !== 'enrichment') return;
      if (revised.actors.length === 0) {
        await client.chat.delete({ channel: e.channel, ts: record.ts });
        await records.forget(e.channel, m.ts);
        return;
      }
      await update(client, e.channel, record.ts, ctx.render(revised));
      await records.save(e.channel, m.ts, {
        ts: record.ts,
        uuids: revised.actors.map((a) => a.uuid),
      });
    } catch (err) {
      logger.warn({ err, channel: e.channel, subtype: e.subtype }, 'following an edit failed');
    }
  });
}
