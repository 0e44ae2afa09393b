/**
 * Bolt set-up: its logger on top of ours, bounded outgoing calls (outgoing.ts), and the App in
 * Socket Mode or HTTP mode.
 */
import type { RequestListener } from 'node:http';
import { App, type Logger as BoltLogger, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { Logger } from '../../src/log.js';
import type { SlackConfig } from './config.js';
import { gated, MAX_BODY_BYTES } from './gate.js';
import {
  boundedFetch,
  type SocketModeRetries,
  stopWhenAborted,
  WEB_API_RETRIES,
  WEB_API_TIMEOUT_MS,
  webApiUrl,
} from './outgoing.js';

/**
 * Bolt's logger interface on top of the project's pino logger (level stays the project's).
 * While `quiet()` holds (replies were dropped at the shutdown deadline), its warnings and errors
 * go to debug: they are the aborted calls of those replies, which one warning already counted.
 */
export function boltLogger(logger: Logger, quiet: () => boolean = () => false): BoltLogger {
  const write =
    (wanted: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) => {
      const level = wanted !== 'debug' && wanted !== 'info' && quiet() ? 'debug' : wanted;
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

export interface AppSetup {
  /** Known bot identity: skips the start-up `auth.test` call. */
  botUserId?: string;
  botId?: string;
  /** HTTP mode: answer Slack only after the listener has finished. */
  processBeforeResponse: boolean;
  /** Served on GET /healthz (HTTP mode; Socket Mode has its own server, see server.ts). */
  health: RequestListener;
  logger: Logger;
  /** Aborts every outgoing call at once (the shutdown deadline, a start-up given up). */
  abort: AbortSignal;
  /** Socket Mode: its own client's retries (bounded while starting, patient once connected). */
  socketRetries: SocketModeRetries;
}

/** Bolt's and the WebClient's logs turn quiet once the calls are aborted (see boltLogger). */
const quietOnceAborted = (setup: AppSetup) => () => setup.abort.aborted;

/**
 * The Bolt app: Socket Mode when an app token is configured, otherwise HTTP mode (Bolt's
 * POST /slack/events behind the header gate, and GET /healthz).
 */
export function createApp(config: SlackConfig, setup: AppSetup): App {
  const socket = Boolean(config.appToken);
  if (!socket && !config.signingSecret) {
    throw new Error('Slack HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN)');
  }
  const knownIdentity = setup.botUserId !== undefined;
  const slackApiUrl = webApiUrl(config.apiUrl);
  const receiver = socket
    ? undefined
    : new HTTPReceiver({
        signingSecret: config.signingSecret ?? '',
        processBeforeResponse: setup.processBeforeResponse,
        customRoutes: [{ path: '/healthz', method: ['GET'], handler: setup.health }],
        logger: boltLogger(setup.logger, quietOnceAborted(setup)),
        bodyLimit: MAX_BODY_BYTES,
      });
  // Headers are checked before Bolt reads (and buffers) a body: see gate.ts.
  if (receiver) receiver.requestListener = gated(receiver.requestListener);
  const calls = { slackApiUrl, timeout: WEB_API_TIMEOUT_MS, fetch: boundedFetch(setup.abort) };
  return new App({
    token: config.botToken,
    ...(socket
      ? {
          socketMode: true,
          appToken: config.appToken,
          // Socket Mode's own client (connections.open), with its own retries (outgoing.ts).
          installerOptions: {
            clientOptions: { ...calls, retryConfig: setup.socketRetries.policy },
          },
        }
      : { receiver }),
    // app.client (every Web API call the handlers make) and response URLs.
    clientOptions: { ...calls, retryConfig: stopWhenAborted(WEB_API_RETRIES, setup.abort) },
    ...(knownIdentity ? { botUserId: setup.botUserId, botId: setup.botId } : {}),
    tokenVerificationEnabled: !knownIdentity,
    deferInitialization: true,
    // No conversation state is kept: skip Bolt's per-request conversation store.
    convoStore: false,
    logger: boltLogger(setup.logger, quietOnceAborted(setup)),
  });
}

/** The Slack error code of a Web API error ("invalid_auth"), else the message. */
export function slackError(err: unknown): string {
  if (err && typeof err === 'object' && 'data' in err) {
    const data = (err as { data?: { error?: unknown } }).data;
    if (typeof data?.error === 'string') return data.error;
  }
  return err instanceof Error ? err.message : String(err);
}
