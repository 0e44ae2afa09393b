/**
 * Enrichment replies follow their message: an edit that no longer names an actor drops that
 * line (and deletes the reply when none is left), an edit naming a new actor adds it, a deleted
 * message takes its reply with it. What each reply shows is kept in the state store
 * (`slack:reply:<channel>:<ts>`), so this works after a restart and on any replica.
 */
import type { App, types, webApi } from '@slack/bolt';
import type { Bot, BotRequest } from '../../src/bot.js';
import type { Logger } from '../../src/log.js';
import type { Reply } from '../../src/reply/model.js';
import { getJson, type StateStore } from '../../src/state/store.js';
import type { SlackMessage } from './blocks.js';
import type { EventClaims } from './dedupe.js';
import { slackToPlain } from './text.js';

/** Edits come within hours; a day-old reply is left as it is. */
const REPLY_TTL_MS = 24 * 3600_000;

interface ReplyRecord {
  /** The bot's reply message. */
  ts: string;
  /** The actors it shows, in order. */
  uuids: string[];
}

export class ReplyRecords {
  constructor(private readonly store: StateStore) {}

  private key(channel: string, ts: string): string {
    return `slack:reply:${channel}:${ts}`;
  }

  /** After posting an enrichment reply to the message (channel, ts). Best effort. */
  async remember(channel: string, ts: string, replyTs: string | undefined, reply: Reply) {
    if (!replyTs || reply.kind !== 'enrichment') return;
    const record: ReplyRecord = { ts: replyTs, uuids: reply.actors.map((a) => a.uuid) };
    await this.store
      .set(this.key(channel, ts), JSON.stringify(record), REPLY_TTL_MS)
      .catch(() => {});
  }

  get(channel: string, ts: string): Promise<ReplyRecord | undefined> {
    return getJson<ReplyRecord>(this.store, this.key(channel, ts));
  }

  save(channel: string, ts: string, record: ReplyRecord): Promise<void> {
    return this.store.set(this.key(channel, ts), JSON.stringify(record), REPLY_TTL_MS);
  }

  forget(channel: string, ts: string): Promise<void> {
    return this.store.delete(this.key(channel, ts));
  }
}

interface EditedMessage {
  user?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  bot_id?: string;
  subtype?: string;
}

export interface FollowDeps {
  bot: Pick<Bot, 'answer' | 'revise'>;
  records: ReplyRecords;
  dedupe: EventClaims;
  render: (reply: Reply) => SlackMessage;
  logger: Logger;
  platform: string;
}

/** Listen for message_changed and message_deleted and bring the bot's replies in line. */
export function followEdits(app: App, deps: FollowDeps): void {
  const { bot, records, dedupe, render, logger, platform } = deps;

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
        platform,
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
        const posted = await client.chat.postMessage({
          channel: e.channel,
          thread_ts: m.thread_ts ?? m.ts,
          text: render(reply).text,
          blocks: render(reply).blocks,
          unfurl_links: false,
          unfurl_media: false,
        });
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
      await update(client, e.channel, record.ts, render(revised));
      await records.save(e.channel, m.ts, {
        ts: record.ts,
        uuids: revised.actors.map((a) => a.uuid),
      });
    } catch (err) {
      logger.warn({ err, channel: e.channel, subtype: e.subtype }, 'following an edit failed');
    }
  });
}
