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
import type { RunningAdapter } from '../adapter.js';
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
}

export interface SlackAdapter extends RunningAdapter {
  /** Socket Mode or HTTP mode. */
  mode: 'socket' | 'http';
  /** Base URL of the local HTTP server (`/slack/events` in HTTP mode, `/healthz`), if any. */
  url?: string;
  app: App;
}

/** Every listener: what the bot answers, and the errors Bolt reports. */
function wireHandlers(app: App, ctx: ReturnType<typeof slackContext>): void {
  wireCommands(app, ctx);
  wireMentions(app, ctx);
  wireEnrichment(app, ctx);
  followEdits(app, ctx);
  wireButtons(app, ctx);
  app.error(async (err) => {
    ctx.logger.error({ err }, 'slack handler error');
  });
}

/** auth.test (unless the identity was given), with an error that names the variable. */
async function checkToken(app: App): Promise<void> {
  try {
    await app.init();
  } catch (err) {
    throw new Error(`Slack did not accept SLACK_BOT_TOKEN (auth.test: ${slackError(err)})`, {
      cause: err,
    });
  }
}

/** Start receiving: Socket Mode connects (plus /healthz if wanted), HTTP mode listens. */
async function listen(
  app: App,
  socket: boolean,
  where: { port: number; host: string | undefined; health?: Parameters<typeof listenHealth>[0] },
): Promise<{ server?: Server; url?: string }> {
  const { port, host } = where;
  if (!socket) {
    const server = (await app.start({ port, ...(host ? { host } : {}) })) as Server;
    return { url: baseUrl(server, host) };
  }
  try {
    await app.start();
  } catch (err) {
    throw new Error(`Socket Mode did not connect (check SLACK_APP_TOKEN): ${slackError(err)}`, {
      cause: err,
    });
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
  const app = createApp(config, {
    ...(options.botUserId !== undefined
      ? { botUserId: options.botUserId, ...(options.botId ? { botId: options.botId } : {}) }
      : {}),
    processBeforeResponse: options.processBeforeResponse ?? false,
    health,
    logger,
  });
  const ctx = slackContext(
    bot,
    config,
    logger,
    new EventClaims(store),
    new ReplyRecords(store, PLATFORM),
    new SlackAdmins(config.adminUsers ?? [], logger),
  );
  wireHandlers(app, ctx);
  await checkToken(app);
  const { server, url } = await listen(app, socket, {
    port: options.port ?? config.port,
    host: options.host ?? config.host,
    ...(options.healthInSocketMode !== false ? { health } : {}),
  });
  logger.info({ mode: socket ? 'socket' : 'http', url }, 'slack adapter running');

  let resolveDone = () => {};
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  let stopping: Promise<void> | undefined;
  return {
    name: 'slack',
    mode: socket ? 'socket' : 'http',
    ...(url ? { url } : {}),
    app,
    done,
    stop() {
      stopping ??= (async () => {
        await Promise.allSettled([app.stop(), closeServer(server)]);
        resolveDone();
      })();
      return stopping;
    },
  };
}
