/**
 * Every call the Slack adapter makes (Web API, response URLs, Socket Mode's connections.open) is
 * bounded: a timeout, a few retries, and an abort signal for the shutdown deadline, so that a
 * failing Slack cannot hold a reply, a stop or a start-up for long. And, when Slack cannot be
 * reached at all, a message that says what to check.
 */
import type { webApi } from '@slack/bolt';

const DEFAULT_WEB_API_URL = 'https://slack.com/api/';

/** Where Web API calls go: SLACK_API_URL (with its trailing slash), else Slack's own. */
export function webApiUrl(url: string | undefined): string {
  if (!url) return DEFAULT_WEB_API_URL;
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * One call that has not answered after this long will not: Slack answers in well under a
 * second. Without it a black-holed connection held a reply forever.
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
 * Socket Mode reconnecting after start-up (Slack closed the socket, the network dropped): its
 * connections.open is retried for as long as it takes, at most a minute apart. Socket Mode
 * gives up on an HTTP-level failure (a 5xx, no connection) once the retries run out, and then
 * fails with a rejection nobody can catch: with bounded retries a Slack outage of half a minute
 * would end the process.
 */
export const SOCKET_RECONNECT_RETRIES: webApi.RetryOptions = {
  forever: true,
  // The pauses grow to maxTimeout over these (1.3^16 > 60), then stay there.
  retries: 20,
  factor: 1.3,
  minTimeout: 1000,
  maxTimeout: 60_000,
  randomize: true,
  maxRetryTime: Number.POSITIVE_INFINITY,
  unref: true,
};

/** A retry policy with p-retry's hook (the WebClient retries with p-retry, options as given). */
type RetryPolicy = webApi.RetryOptions & { onFailedAttempt?: (err: Error) => void };

/** `policy`, ending its retries once `abort` has fired (a throw from the hook ends them). */
export function stopWhenAborted(policy: webApi.RetryOptions, abort: AbortSignal): RetryPolicy {
  return {
    ...policy,
    onFailedAttempt(err) {
      if (abort.aborted) throw err;
    },
  };
}

/**
 * Socket Mode's own client's retries: bounded (WEB_API_RETRIES) until it has connected once, so
 * that a start-up against a failing Slack fails clearly; patient (SOCKET_RECONNECT_RETRIES)
 * after. The WebClient keeps this object and reads it at every call, so `connected()` changes
 * it in place (test/hostile/slack-faults.test.ts checks that reconnecting is patient).
 */
export class SocketModeRetries {
  readonly policy: RetryPolicy;

  constructor(abort: AbortSignal) {
    this.policy = stopWhenAborted(WEB_API_RETRIES, abort);
  }

  connected(): void {
    Object.assign(this.policy, SOCKET_RECONNECT_RETRIES);
  }
}

/**
 * fetch for every call the app makes: each ends after WEB_API_TIMEOUT_MS (the WebClient's own
 * timeout where it sets one; response URLs have none), and all end when `abort` fires.
 */
export function boundedFetch(abort: AbortSignal): webApi.FetchFunction {
  return (url, init = {}) =>
    fetch(url, {
      ...init,
      signal: AbortSignal.any([init.signal ?? AbortSignal.timeout(WEB_API_TIMEOUT_MS), abort]),
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
