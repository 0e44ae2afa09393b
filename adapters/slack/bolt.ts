/** Bolt set-up: its logger on top of ours, and the App in Socket Mode or HTTP mode. */
import type { RequestListener } from 'node:http';
import { App, type Logger as BoltLogger, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { Logger } from '../../src/log.js';
import type { SlackConfig } from './config.js';
import { gated, MAX_BODY_BYTES } from './gate.js';

/** Bolt's logger interface on top of the project's pino logger (level stays the project's). */
export function boltLogger(logger: Logger): BoltLogger {
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

export interface AppSetup {
  /** Known bot identity: skips the start-up `auth.test` call. */
  botUserId?: string;
  botId?: string;
  /** HTTP mode: answer Slack only after the listener has finished. */
  processBeforeResponse: boolean;
  /** Served on GET /healthz (HTTP mode; Socket Mode has its own server, see server.ts). */
  health: RequestListener;
  logger: Logger;
}

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
  const slackApiUrl = apiUrl(config.apiUrl);
  const receiver = socket
    ? undefined
    : new HTTPReceiver({
        signingSecret: config.signingSecret ?? '',
        processBeforeResponse: setup.processBeforeResponse,
        customRoutes: [{ path: '/healthz', method: ['GET'], handler: setup.health }],
        logger: boltLogger(setup.logger),
        bodyLimit: MAX_BODY_BYTES,
      });
  // Headers are checked before Bolt reads (and buffers) a body: see gate.ts.
  if (receiver) receiver.requestListener = gated(receiver.requestListener);
  return new App({
    token: config.botToken,
    ...(socket ? { socketMode: true, appToken: config.appToken } : { receiver }),
    ...(slackApiUrl ? { clientOptions: { slackApiUrl } } : {}),
    ...(knownIdentity ? { botUserId: setup.botUserId, botId: setup.botId } : {}),
    tokenVerificationEnabled: !knownIdentity,
    deferInitialization: true,
    // No conversation state is kept: skip Bolt's per-request conversation store.
    convoStore: false,
    logger: boltLogger(setup.logger),
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
