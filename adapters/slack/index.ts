/**
 * The Slack adapter: @slack/bolt wiring. It turns slash commands (commands.ts), mentions
 * (mentions.ts), channel messages (enrichment.ts, follow.ts) and button presses (buttons.ts)
 * into BotRequests, and the bot's Replies into Block Kit (render.ts). Socket Mode when an app
 * token is configured, otherwise HTTP mode (Bolt's POST /slack/events); both serve GET /healthz.
 * `/apt settings` and "Not this actor" change the channel's settings (admins.ts says who may).
 * It talks to the core only through the narrow SlackBot port.
 */
import type { Server } from 'node:http';
import type { App } from '@slack/bolt';
import { type Logger, log as rootLog } from '../../src/log.js';
import { MemoryStore } from '../../src/state/memory.js';
import type { StateStore } from '../../src/state/store.js';
import type { RunningAdapter, StopReport } from '../adapter.js';
import { DEFAULT_SHUTDOWN_MS, InFlight, within } from '../shared/in-flight.js';
import { ReplyRecords } from '../shared/reply-records.js';
import { SlackAdmins } from './admins.js';
import { createApp, slackError } from './bolt.js';
import { wireButtons } from './buttons.js';
import { wireCommands } from './commands.js';
import type { SlackConfig } from './config.js';
import { PLATFORM, type SlackBot, slackContext } from './context.js';
import { EventClaims } from './dedupe.js';
import { wireEnrichment } from './enrichment.js';
import { followEdits } from './follow.js';
import { wireMentions } from './mentions.js';
import { SocketModeRetries, unreachable, webApiUrl } from './outgoing.js';
import { baseUrl, closeServer, healthHandler, listenHealth } from './server.js';

export type { SlackBot } from './context.js';
export { enrichableMessage } from './enrichment.js';

export interface SlackOptions {
  /** Overrides `config.host`, the interface to listen on (HTTP mode and /healthz). */
  host?: string;
  /** Overrides `config.port` (tests pass 0 for an ephemeral port). */
  port?: number;
  /** Known bot identity: skips the start-up `auth.test` call. */
  botUserId?: string;
  botId?: string;
  /**
   * HTTP mode: answer Slack only after the listener has finished. Off by default (events are
   * acknowledged at once, as Bolt recommends for a long-running server); tests turn it on.
   */
  processBeforeResponse?: boolean;
  /** Serve GET /healthz in Socket Mode too (on `port`). Default: true. */
  healthInSocketMode?: boolean;
  logger?: Logger;
  /** Where event claims are kept. Default: the bot's store, else this process's memory. */
  store?: StateStore;
  /** Give up connecting after this long. Default: STARTUP_TIMEOUT_MS. */
  startupTimeoutMs?: number;
  /** Pauses between tries of a pictures message Slack is still processing. Default: FILE_WAITS_MS. */
  fileWaitsMs?: readonly number[];
}

export interface SlackAdapter extends RunningAdapter {
  /** Socket Mode or HTTP mode. */
  mode: 'socket' | 'http';
  /** Base URL of the local HTTP server (`/slack/events` in HTTP mode, `/healthz`), if any. */
  url?: string;
  app: App;
}

/**
 * Start-up gives up after this long, whatever it waits for (auth.test, Socket Mode's
 * connections.open and WebSocket, which on its own retries forever): a bot that cannot reach
 * Slack must say so and exit, not sit there. It covers one Web API call's worst case (about 25 s,
 * see WEB_API_RETRIES).
 */
export const STARTUP_TIMEOUT_MS = 30_000;

/** After the deadline, how long closing the server or the socket may still take. */
const CLOSE_GRACE_MS = 1000;

/**
 * Every listener: what the bot answers, and the errors Bolt reports. Each incoming event, command
 * and button press runs as one tracked reply (`inFlight`), from the first listener to the last.
 */
function wireHandlers(app: App, ctx: ReturnType<typeof slackContext>, inFlight: InFlight): void {
  app.use(async ({ next }) => {
    await inFlight.run(next);
  });
  wireCommands(app, ctx);
  wireMentions(app, ctx);
  wireEnrichment(app, ctx);
  followEdits(app, ctx);
  wireButtons(app, ctx);
  app.error(async (err) => {
    // A reply dropped at the shutdown deadline fails here too: the warning already counted it.
    if (inFlight.dropping) ctx.logger.debug({ err }, 'slack handler ended by the shutdown');
    else ctx.logger.error({ err }, 'slack handler error');
  });
}

/** auth.test (unless the identity was given), with an error that names what to check. */
async function checkToken(app: App, apiUrl: string): Promise<void> {
  try {
    await app.init();
  } catch (err) {
    const why = unreachable(err, apiUrl, 'auth.test');
    throw new Error(why ?? `Slack did not accept SLACK_BOT_TOKEN (auth.test: ${slackError(err)})`, {
      cause: err,
    });
  }
}

/** Start receiving: Socket Mode connects (plus /healthz if wanted), HTTP mode listens. */
async function listen(
  app: App,
  socket: boolean,
  where: {
    port: number;
    host: string | undefined;
    apiUrl: string;
    health?: Parameters<typeof listenHealth>[0];
  },
): Promise<{ server?: Server; url?: string }> {
  const { port, host } = where;
  if (!socket) {
    const server = (await app.start({ port, ...(host ? { host } : {}) })) as Server;
    return { url: baseUrl(server, host) };
  }
  try {
    await app.start();
  } catch (err) {
    const why = unreachable(err, where.apiUrl, 'apps.connections.open');
    throw new Error(
      why ?? `Socket Mode did not connect (check SLACK_APP_TOKEN): ${slackError(err)}`,
      { cause: err },
    );
  }
  if (!where.health) return {};
  const server = await listenHealth(where.health, port, host);
  return { server, url: baseUrl(server, host) };
}

export async function startSlack(
  bot: SlackBot,
  config: SlackConfig,
  options: SlackOptions = {},
): Promise<SlackAdapter> {
  const logger = (options.logger ?? rootLog).child({ adapter: 'slack' });
  const socket = Boolean(config.appToken);
  const store = options.store ?? bot.store ?? new MemoryStore();
  const health = healthHandler(() => bot.cardCount);
  const apiUrl = webApiUrl(config.apiUrl);
  const inFlight = new InFlight();
  const socketRetries = new SocketModeRetries(inFlight.signal);
  const app = createApp(config, {
    ...(options.botUserId !== undefined
      ? { botUserId: options.botUserId, ...(options.botId ? { botId: options.botId } : {}) }
      : {}),
    processBeforeResponse: options.processBeforeResponse ?? false,
    health,
    logger,
    abort: inFlight.signal,
    socketRetries,
  });
  const ctx = slackContext(
    bot,
    config,
    logger,
    new EventClaims(store),
    new ReplyRecords(store, PLATFORM),
    new SlackAdmins(config.adminUsers ?? [], logger),
    {
      abort: inFlight.signal,
      ...(options.fileWaitsMs ? { fileWaitsMs: options.fileWaitsMs } : {}),
    },
  );
  wireHandlers(app, ctx, inFlight);
  const connecting = (async () => {
    await checkToken(app, apiUrl);
    return listen(app, socket, {
      port: options.port ?? config.port,
      host: options.host ?? config.host,
      apiUrl,
      ...(options.healthInSocketMode !== false ? { health } : {}),
    });
  })();
  const startupMs = options.startupTimeoutMs ?? STARTUP_TIMEOUT_MS;
  let started: Awaited<typeof connecting> | undefined;
  try {
    started = await within(connecting, startupMs);
  } catch (err) {
    await giveUp(app, inFlight);
    throw err;
  }
  if (!started) {
    await giveUp(app, inFlight);
    const steps = socket ? "auth.test, then Socket Mode's connection" : 'auth.test';
    throw new Error(
      `Slack start-up did not finish within ${Math.round(startupMs / 1000)} s (${steps}, Web API at ${apiUrl}): ${
        config.apiUrl ? 'check SLACK_API_URL, ' : ''
      }check the network and any proxy, and https://slack-status.com`,
    );
  }
  const { server, url } = started;
  // From now on Socket Mode reconnects for as long as Slack is away (outgoing.ts).
  socketRetries.connected();
  logger.info({ mode: socket ? 'socket' : 'http', url }, 'slack adapter running');

  let resolveDone = () => {};
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  let stopping: Promise<StopReport> | undefined;
  return {
    name: 'slack',
    mode: socket ? 'socket' : 'http',
    ...(url ? { url } : {}),
    app,
    done,
    stop(deadlineMs = DEFAULT_SHUTDOWN_MS) {
      stopping ??= (async () => {
        // Stop receiving first: HTTP mode stops accepting connections, Socket Mode disconnects
        // (Slack then delivers new events elsewhere, or again later). Replies in flight go on.
        const receiving = Promise.allSettled([app.stop(), closeServer(server)]);
        const dropped = await inFlight.drain(deadlineMs);
        await within(receiving, CLOSE_GRACE_MS);
        // Whatever still calls out (Socket Mode reconnecting through an outage) ends here.
        inFlight.abort();
        logger.info({ dropped, refused: inFlight.refused }, 'slack adapter stopped');
        resolveDone();
        return { dropped };
      })();
      return stopping;
    },
  };
}

/** A start-up that failed or timed out: abort its calls, stop whatever had started. */
async function giveUp(app: App, inFlight: InFlight): Promise<void> {
  inFlight.abort();
  await within(
    app.stop().catch(() => {}),
    CLOSE_GRACE_MS,
  );
}
