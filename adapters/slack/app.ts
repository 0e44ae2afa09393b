/**
 * The Slack adapter: @slack/bolt wiring. It turns slash commands, mentions, channel messages and
 * button presses into BotRequests, and the bot's Replies into Block Kit (blocks.ts). Socket Mode
 * when an app token is configured, otherwise HTTP mode (Bolt's POST /slack/events); both serve
 * GET /healthz. It only talks to the core through `Bot.handle` and `Bot.cardCount`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  App,
  type BlockAction,
  type Logger as BoltLogger,
  type ButtonAction,
  HTTPReceiver,
  LogLevel,
  type RespondArguments,
  type types,
  type webApi,
} from '@slack/bolt';
import type { Bot, BotRequest } from '../../src/bot.js';
import type { SlackConfig } from '../../src/config.js';
import { type Logger, log as rootLog } from '../../src/log.js';
import type { Reply } from '../../src/reply/model.js';
import { MemoryStore } from '../../src/state/memory.js';
import type { StateStore } from '../../src/state/store.js';
import type { RunningAdapter } from '../adapter.js';
import { ReplyRecords } from '../reply-records.js';
import { errorMessage, isShareable, renderReply, type SlackMessage } from './blocks.js';
import { EventClaims } from './dedupe.js';
import { followEdits } from './follow.js';
import { gated, MAX_BODY_BYTES } from './gate.js';
import { ACTION_ID_RE, decodeShare, encodeShare, SHARE_ACTION_ID } from './share.js';
import { slackToPlain, stripBotMention } from './text.js';

/** What the adapter needs from the core. */
export type SlackBot = Pick<Bot, 'answer' | 'revise' | 'cardCount' | 'store'>;

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

const PLATFORM = 'slack';

/** Bolt's logger interface on top of the project's pino logger (level stays the project's). */
function boltLogger(logger: Logger): BoltLogger {
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) => {
      if (!logger.isLevelEnabled(level)) return;
      const [first, ...rest] = msg;
      if (first instanceof Error) logger[level]({ err: first }, rest.map(String).join(' '));
      else logger[level](msg.map((m) => (typeof m === 'string' ? m : String(m))).join(' '));
    };
  const toBolt = (): LogLevel => {
    const level = logger.level;
    if (level === 'debug' || level === 'trace') return LogLevel.DEBUG;
    if (level === 'info') return LogLevel.INFO;
    if (level === 'warn') return LogLevel.WARN;
    return LogLevel.ERROR;
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: () => {},
    getLevel: toBolt,
    setName: () => {},
  };
}

function apiUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return url.endsWith('/') ? url : `${url}/`;
}

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

export async function startSlack(
  bot: SlackBot,
  config: SlackConfig,
  options: SlackOptions = {},
): Promise<SlackAdapter> {
  const logger = (options.logger ?? rootLog).child({ adapter: 'slack' });
  const socket = Boolean(config.appToken);
  const port = options.port ?? config.port;
  const host = options.host ?? config.host;
  const store = options.store ?? bot.store ?? new MemoryStore();
  const dedupe = new EventClaims(store);
  const replies = new ReplyRecords(store, PLATFORM);
  const health = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', cards: bot.cardCount }));
  };
  if (!socket && !config.signingSecret) {
    throw new Error('Slack HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN)');
  }
  const knownIdentity = options.botUserId !== undefined;
  const slackApiUrl = apiUrl(config.apiUrl);
  const receiver = socket
    ? undefined
    : new HTTPReceiver({
        signingSecret: config.signingSecret ?? '',
        processBeforeResponse: options.processBeforeResponse ?? false,
        customRoutes: [{ path: '/healthz', method: ['GET'], handler: health }],
        logger: boltLogger(logger),
        bodyLimit: MAX_BODY_BYTES,
      });
  // Headers are checked before Bolt reads (and buffers) a body: see gate.ts.
  if (receiver) receiver.requestListener = gated(receiver.requestListener);
  const app = new App({
    token: config.botToken,
    ...(socket ? { socketMode: true, appToken: config.appToken } : { receiver }),
    ...(slackApiUrl ? { clientOptions: { slackApiUrl } } : {}),
    ...(knownIdentity ? { botUserId: options.botUserId, botId: options.botId } : {}),
    tokenVerificationEnabled: !knownIdentity,
    deferInitialization: true,
    // No conversation state is kept: skip Bolt's per-request conversation store.
    convoStore: false,
    logger: boltLogger(logger),
  });

  /** Ask the core; a throw here (or from a platform hiccup) becomes a logged error reply. */
  const ask = async (request: BotRequest): Promise<Reply | null> => {
    try {
      return await bot.answer(request);
    } catch (err) {
      logger.error({ err, kind: request.kind }, 'bot failed to answer');
      return { kind: 'error', message: 'Sorry, something went wrong answering that.' };
    }
  };

  const render = (reply: Reply, share?: string, cmd?: string): SlackMessage => {
    try {
      return renderReply(reply, { ...(share ? { share } : {}), ...(cmd ? { cmd } : {}) });
    } catch (err) {
      logger.error({ err, kind: reply.kind }, 'rendering failed');
      return errorMessage();
    }
  };

  const post = (
    client: webApi.WebClient,
    channel: string,
    threadTs: string | undefined,
    message: SlackMessage,
  ) =>
    client.chat.postMessage({
      channel,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });

  // ---- /apt -------------------------------------------------------------------------------
  app.command(/^\/.+/, async ({ command, ack }) => {
    let body: RespondArguments;
    try {
      const query = slackToPlain(command.text ?? '');
      const reply = (await ask({
        kind: 'command',
        text: query,
        platform: PLATFORM,
        channel: command.channel_id,
        user: command.user_id,
      })) ?? { kind: 'help', topic: 'empty' };
      const inChannel = config.answerInChannel && isShareable(reply);
      const share = !inChannel && isShareable(reply) ? encodeShare({ query }) : undefined;
      body = {
        response_type: inChannel ? 'in_channel' : 'ephemeral',
        ...render(reply, share, command.command),
      };
    } catch (err) {
      logger.error({ err }, 'slash command failed');
      body = { response_type: 'ephemeral', ...errorMessage() };
    }
    await ack(body);
  });

  // ---- @aptcard ... -----------------------------------------------------------------------
  app.event('app_mention', async ({ event, body, context, client }) => {
    // A person asked: answered even when the store cannot say whether this is a retry.
    const claim = await dedupe.claim(
      `event:${body.event_id}`,
      `mention:${event.channel}:${event.ts}`,
    );
    if (claim === 'seen') {
      logger.debug({ eventId: body.event_id, retry: context.retryNum }, 'duplicate mention');
      return;
    }
    if (event.bot_id || event.user === context.botUserId) return;
    const thread = event.thread_ts ?? event.ts;
    let message: SlackMessage;
    try {
      const text = slackToPlain(stripBotMention(event.text ?? '', context.botUserId));
      const reply = (await ask({
        kind: 'mention',
        text,
        platform: PLATFORM,
        channel: event.channel,
        ...(event.user ? { user: event.user } : {}),
        messageId: event.ts,
      })) ?? { kind: 'help', topic: 'empty' };
      message = render(reply);
    } catch (err) {
      logger.error({ err }, 'mention failed');
      message = errorMessage();
    }
    await post(client, event.channel, thread, message);
  });

  // ---- automatic enrichment ---------------------------------------------------------------
  app.event('message', async ({ event, body, context, client }) => {
    const msg = enrichableMessage(event, context.botUserId, context.botId);
    if (!msg) return;
    // Nobody asked: unless this delivery is surely the first, post nothing.
    const claim = await dedupe.claim(`event:${body.event_id}`, `message:${msg.channel}:${msg.ts}`);
    if (claim !== 'fresh') {
      logger.debug({ eventId: body.event_id, retry: context.retryNum, claim }, 'message skipped');
      return;
    }
    const reply = await ask({
      kind: 'message',
      text: slackToPlain(msg.text),
      platform: PLATFORM,
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
    const posted = await post(client, msg.channel, msg.thread_ts ?? msg.ts, render(reply));
    await replies.remember(msg.channel, msg.ts, posted.ts, reply);
  });
  followEdits(app, { bot, records: replies, dedupe, render, logger, platform: PLATFORM });

  // ---- buttons ----------------------------------------------------------------------------
  app.action<BlockAction<ButtonAction>>(
    ACTION_ID_RE,
    async ({ action, body, ack, respond, client }) => {
      await ack();
      const container = body.container as {
        is_ephemeral?: boolean;
        channel_id?: string;
        message_ts?: string;
        thread_ts?: string;
      };
      const channel = body.channel?.id ?? container.channel_id;
      const ephemeral = container.is_ephemeral === true || !body.message;
      // Where a shared card goes: the thread the button's message lives in, if any.
      const thread =
        (typeof body.message?.thread_ts === 'string' ? body.message.thread_ts : undefined) ??
        container.thread_ts ??
        (ephemeral ? undefined : body.message?.ts);
      try {
        const value = typeof action.value === 'string' ? action.value : '';
        if (action.action_id === SHARE_ACTION_ID) {
          const spec = decodeShare(value);
          if (!spec) {
            await respond({
              response_type: 'ephemeral',
              replace_original: false,
              ...render({ kind: 'error', message: 'That button is no longer valid.' }),
            });
            return;
          }
          const shareKey = `share:${channel}:${container.message_ts ?? body.trigger_id}`;
          if ((await dedupe.claim(shareKey)) === 'seen') return;
          const reply =
            'query' in spec
              ? await ask({
                  kind: 'command',
                  text: spec.query,
                  platform: PLATFORM,
                  user: body.user.id,
                  ...(channel ? { channel } : {}),
                })
              : await ask({
                  kind: 'action',
                  text: spec.action,
                  platform: PLATFORM,
                  user: body.user.id,
                  ...(channel ? { channel } : {}),
                });
          if (!reply || reply.kind === 'error') {
            // The card is gone (or never was): say so privately, post nothing in public.
            await respond({
              response_type: 'ephemeral',
              replace_original: false,
              ...render(reply ?? { kind: 'error', message: 'That button is no longer valid.' }),
            });
            return;
          }
          const message = render(reply);
          if (spec.thread && channel) {
            await post(client, channel, spec.thread, message);
          } else {
            await respond({ response_type: 'in_channel', replace_original: false, ...message });
          }
          if (ephemeral) await respond({ delete_original: true });
          return;
        }
        const reply =
          (await ask({
            kind: 'action',
            text: value,
            platform: PLATFORM,
            user: body.user.id,
            ...(channel ? { channel } : {}),
          })) ?? ({ kind: 'error', message: 'That button is no longer valid.' } satisfies Reply);
        if (reply.kind === 'error') {
          await respond({ response_type: 'ephemeral', replace_original: false, ...render(reply) });
          return;
        }
        const share = isShareable(reply)
          ? encodeShare({ action: value, ...(thread ? { thread } : {}) })
          : undefined;
        // A private answer is replaced in place; a public one gets a private answer beside it.
        await respond({
          response_type: 'ephemeral',
          replace_original: ephemeral,
          ...render(reply, share),
        });
      } catch (err) {
        logger.error({ err, actionId: action.action_id }, 'button failed');
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          ...errorMessage(),
        }).catch((e: unknown) => logger.error({ err: e }, 'could not send the error reply'));
      }
    },
  );

  app.error(async (err) => {
    logger.error({ err }, 'slack handler error');
  });

  try {
    await app.init();
  } catch (err) {
    throw new Error(`Slack did not accept SLACK_BOT_TOKEN (auth.test: ${slackError(err)})`, {
      cause: err,
    });
  }

  let healthServer: Server | undefined;
  let url: string | undefined;
  if (socket) {
    try {
      await app.start();
    } catch (err) {
      throw new Error(`Socket Mode did not connect (check SLACK_APP_TOKEN): ${slackError(err)}`, {
        cause: err,
      });
    }
    if (options.healthInSocketMode !== false) {
      healthServer = createServer((req, res) => {
        if (req.method === 'GET' && req.url?.split('?')[0] === '/healthz') return health(req, res);
        res.writeHead(404);
        res.end();
      });
      const server = healthServer;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port, ...(host ? { host: host } : {}) }, () => resolve());
      });
      url = baseUrl(server, host);
    }
  } else {
    const server = (await app.start({
      port,
      ...(host ? { host: host } : {}),
    })) as Server;
    url = baseUrl(server, host);
  }
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
        await Promise.allSettled([
          app.stop(),
          new Promise<void>((resolve) => {
            if (!healthServer) return resolve();
            healthServer.close(() => resolve());
            healthServer.closeAllConnections();
          }),
        ]);
        resolveDone();
      })();
      return stopping;
    },
  };
}

/** The Slack error code of a Web API error ("invalid_auth"), else the message. */
function slackError(err: unknown): string {
  if (err && typeof err === 'object' && 'data' in err) {
    const data = (err as { data?: { error?: unknown } }).data;
    if (typeof data?.error === 'string') return data.error;
  }
  return err instanceof Error ? err.message : String(err);
}

function baseUrl(server: Server, host: string | undefined): string {
  const address = server.address() as AddressInfo;
  const h = host && host !== '0.0.0.0' && host !== '::' ? host : '127.0.0.1';
  return `http://${h.includes(':') ? `[${h}]` : h}:${address.port}`;
}
