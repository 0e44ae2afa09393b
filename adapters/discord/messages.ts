/**
 * Channel messages: @-mentions are answered in a reply; messages naming actors get a short reply
 * where the enrichment policy says so (DISCORD_ENRICH_CHANNELS, and what `/apt settings` set
 * there), which follows later edits and deletes (what each reply shows is kept in the state
 * store, so this works after a restart and on any replica).
 */
import { type Client, Events, type Message, type PartialMessage, Routes } from 'discord.js';
import type { Reply } from '../../src/core/types.js';
import { MESSAGES } from '../../src/reply/messages.js';
import { payload } from './payload.js';
import { renderReply } from './render.js';
import { PLATFORM, type Wiring } from './wiring.js';

export function wireMessages(client: Client, w: Wiring): void {
  const { bot, log, replies } = w;
  const mentionRe = () => (client.user ? new RegExp(`<@!?${client.user.id}>`, 'g') : undefined);
  const mentionsMe = (m: Message) => {
    const re = mentionRe();
    return re ? re.test(m.content) : false;
  };
  const ignored = (m: Message) =>
    m.author.bot || m.author.id === client.user?.id || Boolean(m.webhookId) || m.system;

  // Which channels are enriched is the enrichment policy's to say (src/detect/): every guild
  // message goes to it, with whether the environment lists its channel, when the text arrives.
  const enrichAllowed = (m: Message): boolean => w.enrichmentOn() && m.inGuild();

  async function answerMention(m: Message): Promise<void> {
    const re = mentionRe();
    // Discord's own limit on a message (with Nitro): nothing longer reaches a pattern.
    const content = m.content.slice(0, 4000);
    const text = re ? content.replace(re, ' ').replace(/\s+/g, ' ').trim() : content;
    let reply: Reply | null;
    try {
      reply = w.handle({
        kind: 'mention',
        text,
        channel: m.channelId,
        user: m.author.id,
        messageId: m.id,
      });
    } catch (err) {
      log.error({ err, message: m.id }, 'discord: mention handler failed');
      reply = { kind: 'error', message: MESSAGES.failed };
    }
    await m.reply(
      payload(renderReply(reply ?? { kind: 'help', topic: 'empty' }, { cmd: '@aptcard' })),
    );
  }

  /** An edited message the bot answered before: its reply drops, keeps or adds lines. */
  async function revise(m: Message, record: { ts: string; uuids: string[] }): Promise<void> {
    const reply = await bot.revise(
      {
        kind: 'message',
        text: m.content,
        platform: PLATFORM,
        ...w.place(m.channelId, m.channel),
        user: m.author.id,
        messageId: m.id,
        edited: true,
        fromBot: m.author.bot,
      },
      record.uuids,
    );
    if (reply?.kind !== 'enrichment') return;
    if (reply.actors.length === 0) {
      await client.rest.delete(Routes.channelMessage(m.channelId, record.ts));
      await replies.forget(m.channelId, m.id);
      return;
    }
    await m.channel.messages.edit(record.ts, payload(renderReply(reply)));
    await replies.save(m.channelId, m.id, {
      ts: record.ts,
      uuids: reply.actors.map((a) => a.uuid),
    });
  }

  async function enrich(m: Message, edited: boolean): Promise<void> {
    const record = edited ? await replies.get(m.channelId, m.id).catch(() => undefined) : undefined;
    if (record) return revise(m, record);
    const reply = await w.ask({
      kind: 'message',
      text: m.content,
      ...w.place(m.channelId, m.channel),
      user: m.author.id,
      messageId: m.id,
      edited,
      fromBot: m.author.bot,
    });
    if (!reply) return;
    if (reply.kind !== 'enrichment') {
      // A passive message never gets an error or a help text in the channel: log it only.
      if (reply.kind === 'error') log.warn({ message: m.id, error: reply.message }, 'enrichment');
      return;
    }
    // The core's enricher only returns actors it has not posted for this message id, so an
    // edit that names nobody new comes back null.
    const sent = await m.reply(payload(renderReply(reply)));
    await replies.remember(m.channelId, m.id, sent.id, reply);
  }

  client.on(Events.MessageCreate, (m) => {
    const run = async () => {
      if (ignored(m)) return;
      if (mentionsMe(m)) return answerMention(m);
      if (enrichAllowed(m)) return enrich(m, false);
    };
    void w.track(() =>
      run().catch((err: unknown) => log.error({ err, message: m.id }, 'discord: message failed')),
    );
  });

  client.on(Events.MessageUpdate, (before: Message | PartialMessage, after) => {
    const run = async () => {
      // Uncached messages arrive partial: skip them rather than fetch (fewer surprises).
      if (after.partial || ignored(after) || mentionsMe(after)) return;
      // Link previews and embeds also fire updates; only a change of text can add an actor.
      if (!before.partial && before.content === after.content) return;
      if (enrichAllowed(after)) await enrich(after, true);
    };
    void w.track(() =>
      run().catch((err: unknown) => log.error({ err, message: after.id }, 'discord: edit failed')),
    );
  });

  // A deleted message takes the bot's reply with it (partial: the message may not be cached).
  client.on(Events.MessageDelete, (m) => {
    const run = async () => {
      const record = await replies.get(m.channelId, m.id);
      if (!record) return;
      await client.rest.delete(Routes.channelMessage(m.channelId, record.ts));
      await replies.forget(m.channelId, m.id);
    };
    void w.track(() =>
      run().catch((err: unknown) => log.warn({ err, message: m.id }, 'discord: delete failed')),
    );
  });
}
