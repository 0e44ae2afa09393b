/**
 * What an unauthenticated request must pass before Bolt reads its body. Bolt buffers up to
 * 4 MB of body before it checks the signature, with no cap on connections (200 forged 3.9 MB
 * requests took the process from 158 to 693 MB), and it refuses only stale timestamps, not
 * ones in the future. Here, from the headers alone: a well-formed signature, a timestamp
 * within five minutes either way, a declared size Slack could send, and a cap on requests in
 * flight. The signature itself is still Bolt's to check (it needs the body).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/** Slack's largest payloads (a 40,000-character message with its blocks) fit well within. */
export const MAX_BODY_BYTES = 512 * 1024;
/** Requests read at once; more get 503 and Slack retries them. */
export const MAX_IN_FLIGHT = 64;
const MAX_SKEW_SECONDS = 5 * 60;

export interface GateOptions {
  /** The paths Bolt answers events on (the rest, such as /healthz, pass). */
  paths?: string[];
  maxBodyBytes?: number;
  maxInFlight?: number;
  now?: () => number;
}

function refuse(res: ServerResponse, status: number, reason: string): void {
  // The body is never read: close the connection rather than drain what a forger sends.
  res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' });
  res.end(`${reason}\n`);
}

/** Why a request cannot be from Slack, judged from its headers, or undefined. */
export function headerProblem(
  req: IncomingMessage,
  maxBodyBytes: number,
  nowMs: number,
): [number, string] | undefined {
  const signature = req.headers['x-slack-signature'];
  const timestamp = req.headers['x-slack-request-timestamp'];
  if (typeof signature !== 'string' || !/^v0=[0-9a-f]{64}$/.test(signature))
    return [401, 'missing or malformed signature'];
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp))
    return [401, 'missing or malformed timestamp'];
  if (Math.abs(Number(timestamp) - nowMs / 1000) > MAX_SKEW_SECONDS)
    return [401, 'timestamp more than five minutes from now'];
  const length = Number(req.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(length) && length > maxBodyBytes) return [413, 'body too large'];
  return undefined;
}

/** Wrap Bolt's request listener with the checks above. */
export function gated(listener: RequestListener, options: GateOptions = {}): RequestListener {
  const paths = new Set(options.paths ?? ['/slack/events']);
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const maxInFlight = options.maxInFlight ?? MAX_IN_FLIGHT;
  const now = options.now ?? Date.now;
  let inFlight = 0;
  return (req, res) => {
    if (req.method !== 'POST' || !paths.has((req.url ?? '').split('?')[0] ?? '')) {
      listener(req, res);
      return;
    }
    const problem = headerProblem(req, maxBody, now());
    if (problem) return refuse(res, problem[0], problem[1]);
    if (inFlight >= maxInFlight) return refuse(res, 503, 'busy');
    inFlight++;
    let released = false;
    const release = () => {
      if (!released) inFlight--;
      released = true;
    };
    res.once('close', release);
    res.once('finish', release);
    listener(req, res);
  };
}
