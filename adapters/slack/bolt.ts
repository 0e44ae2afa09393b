/**
 * Bolt set-up: its logger on top of ours, bounded outgoing calls, and the App in Socket Mode or
 * HTTP mode.
 */
import type { RequestListener } from 'node:http';
import { App, type Logger as BoltLogger, HTTPReceiver, LogLevel, type webApi } from '@slack/bolt';
import type { Logger } from '../../src/log.js';
import type { SlackConfig } from './config.js';
import { gated, MAX_BODY_BYTES } from './gate.js';

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

/** Where Web API calls go: SLACK_API_URL (with its trailing slash), else Slack's own. */
export function webApiUrl(url: string | undefined): string {
  if (!url) return DEFAULT_WEB_API_URL;
  return url.endsWith('/') ? url : `${url}/`;
}

const DEFAULT_WEB_API_URL = 'https://slack.com/api/';

/**
 * One Web API call (or response URL post) that has not answered after this long will not: Slack
 * answers in well under a second. Without it a black-holed connection held a reply forever.
 */
export const WEB_API_TIMEOUT_MS = 10_000;

/**
 * Retries of a failed call: two, after 1-2 s and 2-4 s, and none started 15 s after the first
 * try (the WebClient's default, ten over about half an hour, kept a stopped bot alive and a
 * start-up against a dead API waiting). A call thus gives up within about 25 s at worst (two
 * timeouts and the pauses). The pauses' timers do not hold the process open once it is stopping.
 * Rate limits (HTTP 429) are still waited out, as Slack asks (rejectRateLimitedCalls stays off):
 * a late answer beats none, and the shutdown deadline bounds the wait at exit.
 */
export const WEB_API_RETRIES: webApi.RetryOptions = {
  retries: 2,
  factor: 2,
  minTimeout: 1000,
  maxTimeout: 4000,
  randomize: true,
  maxRetryTime: 15_000,
  unref: true,
};

/**
 * fetch for every call the app makes (Web API, response URLs, Socket Mode's connections.open):
 * each ends after WEB_API_TIMEOUT_MS (the WebClient's own timeout where it sets one; response
 * URLs have none), and all end when `abort` fires (the shutdown deadline, a failed start-up).
 */
export function boundedFetch(abort: AbortSignal): webApi.FetchFunction {
  return (url, init = {}) =>
    fetch(url, {
      ...init,
      signal: AbortSignal.any([init.signal ?? AbortSignal.timeout(WEB_API_TIMEOUT_MS), abort]),
    });
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
  return new App({
    token: config.botToken,
    ...(socket ? { socketMode: true, appToken: config.appToken } : { receiver }),
    // Shared by app.client, response URLs and Socket Mode's own client (Bolt passes them on).
    clientOptions: {
      slackApiUrl,
      timeout: WEB_API_TIMEOUT_MS,
      retryConfig: WEB_API_RETRIES,
      fetch: boundedFetch(setup.abort),
    },
    ...(knownIdentity ? { botUserId: setup.botUserId, botId: setup.botId } : {}),
    tokenVerificationEnabled: !knownIdentity,
    deferInitialization: true,
    // No conversation state is kept: skip Bolt's per-request conversation store.
    convoStore: false,
    logger: boltLogger(setup.logger, quietOnceAborted(setup)),
  });
}

/**
 * Why a Web API call failed when Slack could not be reached at all (no connection, an HTTP error
 * status, no answer in time), in words that say what to check; undefined for every other failure
 * (Slack answered, and refused: invalid_auth and the like).
 */
export function unreachable(err: unknown, apiUrl: string, method: string): string | undefined {
  if (!err || typeof err !== 'object' || !('code' in err)) return undefined;
  const check =
    apiUrl === DEFAULT_WEB_API_URL
      ? 'check the network, any proxy or firewall, and https://slack-status.com'
      : 'check SLACK_API_URL, the network and any proxy';
  if (err.code === 'slack_webapi_http_error' && 'statusCode' in err) {
    return `Slack's Web API at ${apiUrl} answered HTTP ${String(err.statusCode)} to ${method}, also when tried again: Slack may be having an outage (https://slack-status.com), or SLACK_API_URL points at something that is not Slack's API`;
  }
  if (err.code !== 'slack_webapi_request_error' || !('original' in err)) return undefined;
  const original = err.original;
  if (original instanceof Error && original.name === 'TimeoutError') {
    return `Slack's Web API at ${apiUrl} did not answer ${method} within ${WEB_API_TIMEOUT_MS / 1000} s, also when tried again: ${check}`;
  }
  return `could not reach Slack's Web API at ${apiUrl} (${method}: ${transportError(original)}): ${check}`;
}

/** fetch's "fetch failed" hides the reason in its cause: "connect ECONNREFUSED 127.0.0.1:9". */
function transportError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause;
  if (cause instanceof Error && cause.message) return cause.message;
  return err.message;
}

/** The Slack error code of a Web API error ("invalid_auth"), else the message. */
export function slackError(err: unknown): string {
  if (err && typeof err === 'object' && 'data' in err) {
    const data = (err as { data?: { error?: unknown } }).data;
    if (typeof data?.error === 'string') return data.error;
  }
  return err instanceof Error ? err.message : String(err);
}
