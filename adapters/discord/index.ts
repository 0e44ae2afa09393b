/**
 * The discord.js wiring: connect, then answer `/apt` (with autocomplete), @-mentions, button and
 * select-menu presses (interactions.ts), and enrich messages in the channels the enrichment
 * policy allows (messages.ts). Everything the bot says comes from the core and goes through the
 * pure renderer (render.ts); these files only move payloads.
 */
import {
  Client,
  type ClientOptions,
  DefaultRestOptions,
  Events,
  GatewayIntentBits,
  Partials,
  type RESTOptions,
} from 'discord.js';
import type { EnrichmentConfig } from '../../src/config.js';
import { OptInChannels } from '../../src/detect/channels.js';
import { log as defaultLog, type Logger } from '../../src/log.js';
import type { RunningAdapter, StopReport } from '../adapter.js';
import { DEFAULT_SHUTDOWN_MS, InFlight, within } from '../shared/in-flight.js';
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
  /** Give up start-up if the gateway is not ready after this long. Default: READY_TIMEOUT_MS. */
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

const DEFAULT_API_URL = 'https://discord.com/api';

/**
 * One REST call that has not answered after this long will not (discord.js waits 15 s by
 * default, and tries four times: a minute per call against an API that black-holes requests).
 */
export const REST_TIMEOUT_MS = 10_000;

/**
 * One more try after a timeout, a reset connection or a 5xx (discord.js retries at once). A
 * call thus gives up within about 20 s. An interaction's first answer is due within 3 s, so more
 * tries would only keep a reply that can no longer land.
 */
export const REST_RETRIES = 1;

/**
 * Start-up gives up if the gateway is not ready after this long: it covers one REST call's worst
 * case (GET /gateway/bot, about 20 s) and the gateway handshake, which on its own retries forever.
 */
export const READY_TIMEOUT_MS = 30_000;

/** After the deadline, how long closing the gateway may still take. */
const CLOSE_GRACE_MS = 1000;

/**
 * REST options: bounded calls (see REST_TIMEOUT_MS, REST_RETRIES), every one of which also ends
 * when `abort` fires (the shutdown deadline, a start-up given up).
 */
function restOptions(config: DiscordConfig, abort: AbortSignal | undefined): Partial<RESTOptions> {
  return {
    ...(config.apiUrl ? { api: config.apiUrl.replace(/\/+$/, '') } : {}),
    timeout: REST_TIMEOUT_MS,
    retries: REST_RETRIES,
    ...(abort
      ? {
          makeRequest: (url, init) =>
            DefaultRestOptions.makeRequest(url, {
              ...init,
              signal: init.signal ? AbortSignal.any([init.signal, abort]) : abort,
            }),
        }
      : {}),
  };
}

export function clientOptions(
  config: DiscordConfig,
  messageContent: boolean,
  abort?: AbortSignal,
): ClientOptions {
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
    rest: restOptions(config, abort),
  };
}

/** Log in and wait for READY (all guilds received); reject on an unrecoverable close. */
function connect(client: Client, token: string, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new GatewayTimeoutError(timeoutMs));
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

class GatewayTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Discord gateway not ready after ${Math.round(timeoutMs / 1000)} s`);
    this.name = 'GatewayTimeoutError';
  }
}

/** A start-up failure in words an operator can act on; the original error is kept as `cause`. */
function startupError(err: unknown, config: DiscordConfig): Error {
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
  const why = unreachable(err, config);
  if (why) return new Error(why, { cause: err });
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * Why start-up could not reach Discord (no connection, an HTTP error status, no answer in time,
 * a gateway that never got ready), with what to check; undefined for anything else.
 */
function unreachable(err: unknown, config: DiscordConfig): string | undefined {
  const api = config.apiUrl ?? DEFAULT_API_URL;
  const check = config.apiUrl
    ? 'check DISCORD_API_URL, the network and any proxy'
    : 'check the network, any proxy or firewall, and https://discordstatus.com';
  if (err instanceof GatewayTimeoutError) {
    return `Discord's gateway did not get ready within ${Math.round(err.timeoutMs / 1000)} s of starting (its address came from ${api}): ${check}`;
  }
  if (!(err instanceof Error)) return undefined;
  if (err.name === 'AbortError') {
    return `Discord's API at ${api} did not answer within ${REST_TIMEOUT_MS / 1000} s, also when tried again: ${check}`;
  }
  const status = 'status' in err && typeof err.status === 'number' ? err.status : undefined;
  if (status !== undefined && status >= 500) {
    const method = 'method' in err ? String(err.method).toUpperCase() : 'GET';
    return `Discord's API at ${api} answered HTTP ${status} to ${method} ${restPath(err, api)}, also when tried again: Discord may be having an outage (https://discordstatus.com)${config.apiUrl ? ', or DISCORD_API_URL points at something that is not Discord' : ''}`;
  }
  const errno = 'code' in err && typeof err.code === 'string' ? err.code : '';
  if (/^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(errno)) {
    return `could not reach Discord's API at ${api} (${err.message}): ${check}`;
  }
  return undefined;
}

/** "/gateway/bot" out of an HTTPError's full URL. */
function restPath(err: Error, api: string): string {
  const url = 'url' in err ? String(err.url) : '';
  const path = url.startsWith(api) ? url.slice(api.length) : url;
  return path.replace(/^\/v\d+/, '') || url;
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
  const readyTimeoutMs = options.readyTimeoutMs ?? READY_TIMEOUT_MS;
  const inFlight = new InFlight();
  const channels = new OptInChannels(
    options.enrichment ?? { enabled: true },
    config.enrichChannels,
  );
  let enrichment = channels.any;

  let client = new Client(clientOptions(config, enrichment, inFlight.signal));
  // The handlers' own logger: quiet once replies are dropped at the shutdown deadline, since
  // their failures (aborted calls) are what the one warning of `aptcard start` counts.
  const handlerLog = log.child({});
  const wire = (c: Client) => {
    const w = wiring(bot, config, handlerLog, channels, () => enrichment, inFlight);
    wireInteractions(c, w, options.deferAfterMs ?? 2000);
    wireMessages(c, w);
    c.on(Events.Error, (err) => log.error({ err }, 'discord: client error'));
    c.on(Events.ShardError, (err) => log.warn({ err }, 'discord: gateway error'));
  };
  wire(client);
  /** Start-up failed for good: abort its calls (a REST call may still be waiting), close. */
  const giveUp = async (err: unknown): Promise<never> => {
    inFlight.abort();
    await within(client.destroy(), CLOSE_GRACE_MS);
    throw startupError(err, config);
  };
  try {
    await connect(client, config.token, readyTimeoutMs);
  } catch (err) {
    if (!(enrichment && isDisallowedIntents(err))) await giveUp(err);
    await client.destroy();
    log.error({ code: DISALLOWED_INTENTS }, MESSAGE_CONTENT_REFUSED);
    enrichment = false;
    client = new Client(clientOptions(config, false, inFlight.signal));
    wire(client);
    try {
      await connect(client, config.token, readyTimeoutMs);
    } catch (retryErr) {
      await giveUp(retryErr);
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

  let stopping: Promise<StopReport> | undefined;
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
    stop(deadlineMs = DEFAULT_SHUTDOWN_MS) {
      stopping ??= (async () => {
        // New interactions and messages are not started from here on; the gateway stays open
        // meanwhile, since destroying the client would also take the REST token the replies in
        // flight still need.
        const dropped = await inFlight.drain(deadlineMs);
        if (dropped > 0 && !log.isLevelEnabled('debug')) handlerLog.level = 'silent';
        await within(running.destroy(), CLOSE_GRACE_MS);
        inFlight.abort();
        log.info({ dropped, refused: inFlight.refused }, 'discord: stopped');
        finish();
        return { dropped };
      })();
      return stopping;
    },
  };
}
