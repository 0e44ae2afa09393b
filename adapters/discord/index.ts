/**
 * The discord.js wiring: connect, then answer `/apt` (with autocomplete), @-mentions, button and
 * select-menu presses (interactions.ts), and enrich messages in the channels the enrichment
 * policy allows (messages.ts). Everything the bot says comes from the core and goes through the
 * pure renderer (render.ts); these files only move payloads.
 */
import { Client, type ClientOptions, Events, GatewayIntentBits, Partials } from 'discord.js';
import type { EnrichmentConfig } from '../../src/config.js';
import { OptInChannels } from '../../src/detect/channels.js';
import { log as defaultLog, type Logger } from '../../src/log.js';
import type { RunningAdapter } from '../adapter.js';
import type { DiscordConfig } from './config.js';
import { wireInteractions } from './interactions.js';
import { wireMessages } from './messages.js';
import { type DiscordBot, wiring } from './wiring.js';

export { payload } from './payload.js';
export type { DiscordBot } from './wiring.js';

export interface DiscordAdapterOptions {
  logger?: Logger;
  /**
   * Defer (acknowledge first, answer after) an interaction that is already this old when it
   * reaches us, judged from its id's timestamp: Discord drops answers after 3 seconds.
   */
  deferAfterMs?: number;
  /** Give up start-up if the gateway is not ready after this long. */
  readyTimeoutMs?: number;
  /** ENRICH: off, no channel is enriched whatever DISCORD_ENRICH_CHANNELS says. Default: on. */
  enrichment?: Pick<EnrichmentConfig, 'enabled'>;
}

export interface DiscordAdapter extends RunningAdapter {
  client: Client;
  /** False when enrichment is off: no channels allowed, or the gateway refused Message Content. */
  enrichment: boolean;
}

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
  bot: DiscordBot,
  config: DiscordConfig,
  options: DiscordAdapterOptions = {},
): Promise<DiscordAdapter> {
  const log = options.logger ?? defaultLog;
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const channels = new OptInChannels(
    options.enrichment ?? { enabled: true },
    config.enrichChannels,
  );
  let enrichment = channels.any;

  let client = new Client(clientOptions(config, enrichment));
  const wire = (c: Client) => {
    const w = wiring(bot, config, log, channels, () => enrichment);
    wireInteractions(c, w, options.deferAfterMs ?? 2000);
    wireMessages(c, w);
    c.on(Events.Error, (err) => log.error({ err }, 'discord: client error'));
    c.on(Events.ShardError, (err) => log.warn({ err }, 'discord: gateway error'));
  };
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
      enrichChannels: enrichment ? channels.channels : [],
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
