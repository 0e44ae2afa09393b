/**
 * The discord.js wiring: `/apt` (with autocomplete), @-mentions, button and select-menu presses,
 * and automatic enrichment in allow-listed channels. Everything the bot says goes through
 * `Bot.handle` and the pure renderer in ./embeds.ts; this file only moves payloads.
 */
import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  type ClientOptions,
  Events,
  GatewayIntentBits,
  type Interaction,
  type Message,
  MessageFlags,
  type PartialMessage,
  Partials,
  Routes,
  type StringSelectMenuInteraction,
} from 'discord.js';
import type { Bot, BotRequest, DirectRequest } from '../../src/bot.js';
import type { DiscordConfig } from '../../src/config.js';
import { log as defaultLog, type Logger } from '../../src/log.js';
import type { Reply } from '../../src/reply/model.js';
import { MemoryStore } from '../../src/state/memory.js';
import type { RunningAdapter } from '../adapter.js';
import { ReplyRecords } from '../reply-records.js';
import { autocompleteChoices, type DiscordMessage, parseCustomId, renderReply } from './embeds.js';
import { COMMAND_NAME, QUERY_OPTION } from './register.js';

export interface DiscordAdapterOptions {
  logger?: Logger;
  /**
   * Defer (acknowledge first, answer after) an interaction that is already this old when it
   * reaches us, judged from its id's timestamp: Discord drops answers after 3 seconds.
   */
  deferAfterMs?: number;
  /** Give up start-up if the gateway is not ready after this long. */
  readyTimeoutMs?: number;
}

export interface DiscordAdapter extends RunningAdapter {
  client: Client;
  /** False when enrichment is off: no channels allowed, or the gateway refused Message Content. */
  enrichment: boolean;
}

const PLATFORM = 'discord';
const ERROR_TEXT = 'Sorry, something went wrong answering that.';
const DISALLOWED_INTENTS = 4014;

/** Printed when Discord refuses the privileged Message Content intent (close code 4014). */
export const MESSAGE_CONTENT_REFUSED =
  'Discord refused the Message Content intent, which automatic enrichment needs. Turn on ' +
  '"Message Content Intent" in the Developer Portal (your application > Bot > Privileged ' +
  'Gateway Intents), or unset DISCORD_ENRICH_CHANNELS. Continuing without automatic ' +
  'enrichment: /apt and mentions still work.';

export class GatewayClosedError extends Error {
  constructor(readonly code: number) {
    super(
      code === 4004
        ? 'Discord rejected DISCORD_TOKEN (gateway close 4004, authentication failed)'
        : code === DISALLOWED_INTENTS
          ? 'Discord refused a privileged intent (gateway close 4014)'
          : `Discord closed the gateway connection (code ${code})`,
    );
    this.name = 'GatewayClosedError';
  }
}

/**
 * The renderer's JSON, handed to discord.js as already-encoded objects: it sends them as they are
 * instead of rebuilding them through its builders (the renderer's output is checked against
 * those builders and Discord's limits in the unit tests). Saves ~0.1 ms per answer.
 */
export function payload(message: DiscordMessage) {
  return {
    ...(message.content !== undefined ? { content: message.content } : {}),
    embeds: message.embeds.map((e) => ({ toJSON: () => e })),
    components: message.components.map((r) => ({ toJSON: () => r })),
  };
}

export function clientOptions(config: DiscordConfig, messageContent: boolean): ClientOptions {
  return {
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      ...(messageContent ? [GatewayIntentBits.MessageContent] : []),
    ],
    // Nothing aptcard sends may ping anyone: not @everyone, not roles, not the replied-to user.
    allowedMentions: { parse: [], repliedUser: false },
    // Deletes of messages the client never cached still arrive, so their replies can follow.
    partials: [Partials.Message],
    ...(config.apiUrl ? { rest: { api: config.apiUrl.replace(/\/+$/, '') } } : {}),
  };
}

/** Log in and wait for READY (all guilds received); reject on an unrecoverable close. */
function connect(client: Client, token: string, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Discord gateway not ready after ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const onDisconnect = (event: { code: number }) => {
      cleanup();
      reject(new GatewayClosedError(event.code));
    };
    const cleanup = () => {
      clearTimeout(timer);
      client.off(Events.ClientReady, onReady);
      client.off(Events.ShardDisconnect, onDisconnect);
    };
    client.once(Events.ClientReady, onReady);
    client.on(Events.ShardDisconnect, onDisconnect);
    client.login(token).catch((err: unknown) => {
      cleanup();
      reject(err);
    });
  });
}

/** A start-up failure in words an operator can act on; the original error is kept as `cause`. */
function startupError(err: unknown): Error {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
  const status =
    typeof err === 'object' && err !== null && 'status' in err ? err.status : undefined;
  if (
    code === 'TokenInvalid' ||
    status === 401 ||
    (err instanceof GatewayClosedError && err.code === 4004)
  ) {
    return new Error(
      'Discord rejected DISCORD_TOKEN: copy the bot token again (Developer Portal > your application > Bot > Reset Token)',
      { cause: err },
    );
  }
  return err instanceof Error ? err : new Error(String(err));
}

function isDisallowedIntents(err: unknown): boolean {
  if (err instanceof GatewayClosedError) return err.code === DISALLOWED_INTENTS;
  return err instanceof Error && /disallowed intents/i.test(err.message);
}

/**
 * Connect to Discord and answer there until stopped. Resolves once the gateway is ready; rejects
 * with a readable error when Discord refuses the token. If the gateway refuses the Message Content
 * intent, logs why and how to fix it, and carries on without automatic enrichment.
 */
export async function startDiscord(
  bot: Bot,
  config: DiscordConfig,
  options: DiscordAdapterOptions = {},
): Promise<DiscordAdapter> {
  const log = options.logger ?? defaultLog;
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  let enrichment = config.enrichChannels.length > 0;

  let client = new Client(clientOptions(config, enrichment));
  const wire = (c: Client) =>
    wireClient(c, bot, config, { ...options, logger: log }, () => enrichment);
  wire(client);
  try {
    await connect(client, config.token, readyTimeoutMs);
  } catch (err) {
    await client.destroy();
    if (!(enrichment && isDisallowedIntents(err))) throw startupError(err);
    log.error({ code: DISALLOWED_INTENTS }, MESSAGE_CONTENT_REFUSED);
    enrichment = false;
    client = new Client(clientOptions(config, false));
    wire(client);
    try {
      await connect(client, config.token, readyTimeoutMs);
    } catch (retryErr) {
      await client.destroy();
      throw startupError(retryErr);
    }
  }

  // Discord does not reconnect after these (a reset token, a refused intent): say so loudly.
  client.on(Events.ShardDisconnect, (event: { code: number }) => {
    log.error(
      { code: event.code },
      `discord: ${new GatewayClosedError(event.code).message}; not reconnecting`,
    );
  });
  log.info(
    {
      user: client.user?.tag,
      guilds: client.guilds.cache.size,
      cards: bot.cardCount,
      enrichChannels: enrichment ? config.enrichChannels : [],
    },
    `discord: connected${enrichment ? '' : ' (automatic enrichment off)'}`,
  );

  let stopped = false;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const running = client;
  return {
    name: 'discord',
    client: running,
    enrichment,
    done,
    async stop() {
      if (stopped) return;
      stopped = true;
      await running.destroy();
      log.info('discord: stopped');
      finish();
    },
  };
}

interface WireOptions extends DiscordAdapterOptions {
  logger: Logger;
}

function wireClient(
  client: Client,
  bot: Bot,
  config: DiscordConfig,
  options: WireOptions,
  enrichmentOn: () => boolean,
): void {
  const log = options.logger;
  const deferAfterMs = options.deferAfterMs ?? 2000;
  const ephemeralByDefault = !config.answerInChannel;

  const handle = (request: Omit<DirectRequest, 'platform'>): Reply | null =>
    bot.handle({ ...request, platform: PLATFORM });
  /** Through the state store: enrichment claims, button references from before a restart. */
  const ask = (request: Omit<BotRequest, 'platform'>): Promise<Reply | null> =>
    bot.answer({ ...request, platform: PLATFORM });

  /** Whether this interaction has waited so long that it must be acknowledged first. */
  const late = (i: Interaction) => Date.now() - i.createdTimestamp >= deferAfterMs;

  /** Answer with a new message (ephemeral or not), deferring first when late. */
  async function replyNew(
    i: ChatInputCommandInteraction | ButtonInteraction | StringSelectMenuInteraction,
    compute: () => DiscordMessage,
    ephemeral: boolean,
  ): Promise<void> {
    const flags = ephemeral ? MessageFlags.Ephemeral : undefined;
    if (late(i)) {
      await i.deferReply(flags ? { flags } : {});
      await i.editReply(payload(compute()));
      return;
    }
    const message = payload(compute());
    await i.reply(flags ? { ...message, flags } : message);
  }

  /** Replace the message the button was on (an ephemeral answer), deferring first when late. */
  async function updateInPlace(
    i: ButtonInteraction | StringSelectMenuInteraction,
    compute: () => DiscordMessage,
  ): Promise<void> {
    if (late(i)) {
      await i.deferUpdate();
      await i.editReply(payload(compute()));
      return;
    }
    await i.update(payload(compute()));
  }

  async function onAutocomplete(i: AutocompleteInteraction): Promise<void> {
    const typed = i.commandName === COMMAND_NAME ? String(i.options.getFocused()) : '';
    await i.respond(typed.trim() ? autocompleteChoices(bot.complete(typed, 25)) : []);
  }

  async function onCommand(i: ChatInputCommandInteraction): Promise<void> {
    if (i.commandName !== COMMAND_NAME) {
      await i.reply({
        ...payload(renderReply({ kind: 'error', message: `Unknown command /${i.commandName}.` })),
        flags: MessageFlags.Ephemeral,
      });
      return;
    }
    const text = i.options.getString(QUERY_OPTION) ?? '';
    await replyNew(
      i,
      () => {
        const reply = handle({ kind: 'command', text, channel: i.channelId, user: i.user.id });
        return renderReply(reply ?? { kind: 'help', topic: 'empty' }, {
          share: ephemeralByDefault,
        });
      },
      ephemeralByDefault,
    );
  }

  async function onComponent(i: ButtonInteraction | StringSelectMenuInteraction): Promise<void> {
    const id = i.isStringSelectMenu() ? (i.values[0] ?? '') : i.customId;
    const { share, action } = parseCustomId(id);
    const reply = await ask({
      kind: 'action',
      text: action,
      channel: i.channelId,
      user: i.user.id,
    });
    const answer: Reply = reply ?? { kind: 'error', message: 'That button is no longer valid.' };
    if (share) {
      // Post the answer for everyone, saying who shared it (a mention that never pings).
      await replyNew(
        i,
        () => ({ ...renderReply(answer), content: `Shared by <@${i.user.id}>` }),
        false,
      );
      return;
    }
    const onEphemeral = i.message.flags.has(MessageFlags.Ephemeral);
    if (onEphemeral && answer.kind !== 'error') {
      await updateInPlace(i, () => renderReply(answer, { share: true }));
      return;
    }
    // A button on a public message: answer the presser alone, leaving the message as it is.
    await replyNew(i, () => renderReply(answer, { share: true }), true);
  }

  async function failInteraction(i: Interaction, err: unknown): Promise<void> {
    log.error({ err, interaction: i.id, type: i.type }, 'discord: interaction handler failed');
    try {
      if (i.isAutocomplete()) {
        if (!i.responded) await i.respond([]);
        return;
      }
      if (!i.isRepliable()) return;
      const message = payload(renderReply({ kind: 'error', message: ERROR_TEXT }));
      if (i.deferred || i.replied) await i.followUp({ ...message, flags: MessageFlags.Ephemeral });
      else await i.reply({ ...message, flags: MessageFlags.Ephemeral });
    } catch (replyErr) {
      log.error({ err: replyErr, interaction: i.id }, 'discord: could not send the error reply');
    }
  }

  client.on(Events.InteractionCreate, (i) => {
    const run = async () => {
      if (i.isAutocomplete()) return onAutocomplete(i);
      if (i.isChatInputCommand()) return onCommand(i);
      if (i.isButton() || i.isStringSelectMenu()) return onComponent(i);
    };
    run().catch((err: unknown) => failInteraction(i, err));
  });

  // -------------------------------------------------------------------------- messages

  const mentionRe = () => (client.user ? new RegExp(`<@!?${client.user.id}>`, 'g') : undefined);
  const mentionsMe = (m: Message) => {
    const re = mentionRe();
    return re ? re.test(m.content) : false;
  };
  const ignored = (m: Message) =>
    m.author.bot || m.author.id === client.user?.id || Boolean(m.webhookId) || m.system;

  const enrichAllowed = (m: Message): boolean => {
    if (!enrichmentOn() || !m.inGuild()) return false;
    const allow = config.enrichChannels;
    if (allow.includes('*') || allow.includes(m.channelId)) return true;
    const parent = m.channel.isThread() ? m.channel.parentId : null;
    return parent !== null && allow.includes(parent);
  };

  async function answerMention(m: Message): Promise<void> {
    const re = mentionRe();
    // Discord's own limit on a message (with Nitro): nothing longer reaches a pattern.
    const content = m.content.slice(0, 4000);
    const text = re ? content.replace(re, ' ').replace(/\s+/g, ' ').trim() : content;
    let reply: Reply | null;
    try {
      reply = handle({
        kind: 'mention',
        text,
        channel: m.channelId,
        user: m.author.id,
        messageId: m.id,
      });
    } catch (err) {
      log.error({ err, message: m.id }, 'discord: mention handler failed');
      reply = { kind: 'error', message: ERROR_TEXT };
    }
    await m.reply(
      payload(renderReply(reply ?? { kind: 'help', topic: 'empty' }, { cmd: '@aptcard' })),
    );
  }

  const replies = new ReplyRecords(bot.store ?? new MemoryStore(), PLATFORM);

  /** An edited message the bot answered before: its reply drops, keeps or adds lines. */
  async function revise(m: Message, record: { ts: string; uuids: string[] }): Promise<void> {
    const reply = await bot.revise(
      {
        kind: 'message',
        text: m.content,
        platform: PLATFORM,
        channel: m.channelId,
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
    const reply = await ask({
      kind: 'message',
      text: m.content,
      channel: m.channelId,
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
    run().catch((err: unknown) => log.error({ err, message: m.id }, 'discord: message failed'));
  });

  client.on(Events.MessageUpdate, (before: Message | PartialMessage, after) => {
    const run = async () => {
      // Uncached messages arrive partial: skip them rather than fetch (fewer surprises).
      if (after.partial || ignored(after) || mentionsMe(after)) return;
      // Link previews and embeds also fire updates; only a change of text can add an actor.
      if (!before.partial && before.content === after.content) return;
      if (enrichAllowed(after)) await enrich(after, true);
    };
    run().catch((err: unknown) => log.error({ err, message: after.id }, 'discord: edit failed'));
  });

  // A deleted message takes the bot's reply with it (partial: the message may not be cached).
  client.on(Events.MessageDelete, (m) => {
    const run = async () => {
      const record = await replies.get(m.channelId, m.id);
      if (!record) return;
      await client.rest.delete(Routes.channelMessage(m.channelId, record.ts));
      await replies.forget(m.channelId, m.id);
    };
    run().catch((err: unknown) => log.warn({ err, message: m.id }, 'discord: delete failed'));
  });

  client.on(Events.Error, (err) => log.error({ err }, 'discord: client error'));
  client.on(Events.ShardError, (err) => log.warn({ err }, 'discord: gateway error'));
}
