/**
 * A hand-written local Slack for end-to-end tests (there is no official Bolt test kit):
 *  - a Web API at `${url}/api/` that records every call (auth.test, chat.postMessage,
 *    chat.update, users.info, apps.connections.open, ...), with the bearer token and the
 *    decoded body; users.info answers from `users` (everyone else: a member, not an admin);
 *  - `response_url` endpoints at `${url}/response/<id>` that record what a handler responds;
 *  - a Socket Mode WebSocket server at `ws://.../socket` that says hello, sends envelopes and
 *    resolves with the app's acknowledgement;
 *  - the files API's upload flow: files.getUploadURLExternal hands out a file id shaped like
 *    Slack's and `${url}/upload/<file id>`, where the file's bytes are posted (multipart, as
 *    `@slack/web-api` sends them) and recorded, then files.completeUploadExternal completes them
 *    (shared in a channel when it names one; files.delete removes them). As on Slack, a completed
 *    file is processed for `fileProcessingMs` before an image block may show it: until then, or
 *    for a file it never issued, completed or kept, chat.postMessage answers `invalid_blocks`;
 *  - helpers to sign HTTP requests exactly as Slack does.
 * Everything binds to 127.0.0.1 on an ephemeral port.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { type ApiFault, FaultTimers, never } from './faults.js';

export type { ApiFault } from './faults.js';

export type Json = Record<string, unknown>;

export interface ApiCall {
  method: string;
  token: string | undefined;
  body: Json;
  /** What the fake answered (chat.postMessage: the new message's `ts`). */
  result?: Json;
}

export interface ResponsePost {
  id: string;
  body: Json;
}

/** A file the fake issued an id for, and how far its upload went. */
export interface FakeFile {
  id: string;
  filename: string;
  length: number;
  /** Its bytes arrived at the upload URL. */
  uploaded: boolean;
  /** When files.completeUploadExternal completed it (ms since the epoch). */
  completedAt?: number;
  /** The channel it was shared in, if any. */
  channel?: string;
  title?: string;
}

/** Slack's file ids: "F" and at least eight capitals or digits (what chat.postMessage checks). */
const FILE_ID_RE = /^F[A-Z0-9]{8,}$/;

/** A file's bytes as posted to its upload URL. */
export interface Upload {
  fileId: string;
  /** The multipart part's file name, type and bytes. */
  filename: string;
  type: string;
  bytes: Buffer;
}

export const BOT_USER_ID = 'UBOT';
export const BOT_ID = 'BBOT';
export const TEAM_ID = 'T0TEST';

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The file parts of a multipart body, parsed by undici's own FormData (Node's fetch). */
async function fileParts(raw: Buffer, contentType: string): Promise<Omit<Upload, 'fileId'>[]> {
  const form = await new Response(new Uint8Array(raw), {
    headers: { 'content-type': contentType },
  }).formData();
  const out: Omit<Upload, 'fileId'>[] = [];
  for (const [, value] of form) {
    if (typeof value === 'string') continue;
    out.push({
      filename: value.name,
      type: value.type,
      bytes: Buffer.from(await value.arrayBuffer()),
    });
  }
  return out;
}

/** The Web API's form fields that carry JSON; every other field is text, whatever it starts with. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'files']);

/** Form fields whose values are JSON (blocks, attachments) come back decoded. */
export function decode(raw: string, contentType: string | undefined): Json {
  if (contentType?.includes('application/json')) return raw ? (JSON.parse(raw) as Json) : {};
  const out: Json = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = JSON_FIELDS.has(k) ? (JSON.parse(v) as unknown) : v;
  }
  return out;
}

/** What the fake answers one request with. */
interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponsePost[] = [];
  readonly uploads: Upload[] = [];
  /** Every Web API method and upload, in the order they arrived ("files.completeUploadExternal", "upload F1"). */
  readonly order: string[] = [];
  /** Every file issued, by id (files.delete removes it). */
  readonly files = new Map<string, FakeFile>();
  private fileCount = 0;
  /** How long a completed file is still being processed (not yet shown by image blocks). */
  fileProcessingMs = 0;
  /** Channels the bot is not in: posting or sharing a file there answers `not_in_channel`. */
  readonly notInChannels = new Set<string>();
  /** Web API methods that answer `{ok:false, error}` instead. */
  readonly failing = new Map<string, string>();
  /** users.info: fields of a user's object by id (`{ is_admin: true }`); others are members. */
  readonly users = new Map<string, Json>();
  /**
   * Web API methods that misbehave at the HTTP level (see ApiFault); the key `*` is every
   * method, and `response_url` the response URLs. Calls are still recorded first.
   */
  readonly faults = new Map<string, ApiFault>();
  private readonly faultTimers = new FaultTimers();
  /** Web API methods whose answers were written out in full (a late one, too, if awaited). */
  readonly answered: string[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly sockets = new Set<WebSocket>();
  private readonly acks = new Map<string, (payload: Json | undefined) => void>();
  private ts = 1_700_000_000;
  private envelopes = 0;
  private readonly wss: WebSocketServer;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    this.wss = new WebSocketServer({ server, path: '/socket' });
    this.wss.on('connection', (ws) => {
      this.sockets.add(ws);
      ws.on('close', () => {
        this.sockets.delete(ws);
        this.notify();
      });
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: Json };
        if (msg.envelope_id) this.acks.get(msg.envelope_id)?.(msg.payload);
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          debug_info: { host: 'fake', approximate_connection_time: 3600 },
          connection_info: { app_id: 'A0TEST' },
        }),
      );
      this.notify();
    });
  }

  static async start(): Promise<FakeSlack> {
    let fake: FakeSlack | undefined;
    const server = createServer((req, res) => {
      void fake?.handle(req).then(
        ({ status, body, headers }) => {
          const path = (req.url ?? '').split('?')[0] ?? '';
          if (path.startsWith('/api/')) {
            res.once('finish', () => fake?.answered.push(path.slice('/api/'.length)));
          }
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(JSON.stringify(body));
        },
        (err: unknown) => {
          res.writeHead(500);
          res.end(String(err));
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeSlack(server, `http://127.0.0.1:${port}`);
    return fake;
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.url}/response/${id}`;
  }

  posts(): ApiCall[] {
    return this.calls.filter((c) => c.method === 'chat.postMessage');
  }

  responsesTo(id: string): Json[] {
    return this.responses.filter((r) => r.id === id).map((r) => r.body);
  }

  get connectedSockets(): number {
    return this.sockets.size;
  }

  /** Drop every Socket Mode connection, as a network failure would (no close handshake). */
  dropSockets(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  /** Resolve with `pick()`'s first defined value, re-checked after every recorded request. */
  waitFor<T>(pick: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
    const now = pick();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const v = pick();
        if (v === undefined) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(v);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** Send a Socket Mode envelope to the connected app; resolves with its ack payload. */
  sendEnvelope(
    type: 'slash_commands' | 'events_api' | 'interactive',
    payload: Json,
    extra: Json = {},
  ): Promise<Json | undefined> {
    const [ws] = this.sockets;
    if (!ws) return Promise.reject(new Error('no Socket Mode connection'));
    const envelope_id = `env-${++this.envelopes}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.acks.delete(envelope_id);
        reject(new Error(`no ack for ${type} envelope ${envelope_id}`));
      }, 5000);
      this.acks.set(envelope_id, (p) => {
        clearTimeout(timer);
        this.acks.delete(envelope_id);
        resolve(p);
      });
      ws.send(
        JSON.stringify({ envelope_id, type, payload, accepts_response_payload: true, ...extra }),
      );
    });
  }

  async close(): Promise<void> {
    this.faultTimers.clear();
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Apply the fault set for `method` (if any): undefined to answer normally. */
  private async fault(method: string): Promise<Answer | undefined> {
    const fault = this.faults.get(method) ?? this.faults.get('*');
    if (!fault) return undefined;
    if (fault.kind === 'hang') return never();
    if (fault.kind === 'delay') {
      await this.faultTimers.wait(fault.ms);
      return undefined;
    }
    return {
      status: fault.status,
      body: { ok: false, error: `fake_http_${fault.status}` },
      ...(fault.retryAfterS !== undefined
        ? { headers: { 'retry-after': String(fault.retryAfterS) } }
        : {}),
    };
  }

  private async handle(req: IncomingMessage): Promise<Answer> {
    const bytes = await readBody(req);
    const raw = bytes.toString('utf8');
    const path = (req.url ?? '').split('?')[0] ?? '';
    try {
      if (path.startsWith('/upload/')) {
        const fileId = decodeURIComponent(path.slice('/upload/'.length));
        for (const part of await fileParts(bytes, String(req.headers['content-type']))) {
          this.uploads.push({ fileId, ...part });
        }
        const file = this.files.get(fileId);
        if (file) file.uploaded = true;
        this.order.push(`upload ${fileId}`);
        return { status: 200, body: { ok: true } };
      }
      if (path.startsWith('/response/')) {
        this.responses.push({
          id: decodeURIComponent(path.slice('/response/'.length)),
          body: decode(raw, 'application/json'),
        });
        this.notify();
        const faulty = await this.fault('response_url');
        if (faulty) return faulty;
        return { status: 200, body: { ok: true } };
      }
      if (path.startsWith('/api/')) {
        const method = path.slice('/api/'.length);
        const auth = req.headers.authorization;
        const body = decode(raw, req.headers['content-type']);
        const token =
          auth?.replace(/^Bearer\s+/, '') ??
          (typeof body.token === 'string' ? body.token : undefined);
        const call: ApiCall = { method, token, body };
        this.calls.push(call);
        this.order.push(method);
        this.notify();
        const faulty = await this.fault(method);
        if (faulty) return faulty;
        const failure = this.failing.get(method);
        if (failure) return { status: 200, body: { ok: false, error: failure } };
        call.result = this.answer(method, body);
        return { status: 200, body: call.result };
      }
      return { status: 404, body: { ok: false, error: 'unknown_path' } };
    } finally {
      this.notify();
    }
  }

  private answer(method: string, body: Json): Json {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.test/',
          team: 'Test team',
          user: 'aptcard',
          team_id: TEAM_ID,
          user_id: BOT_USER_ID,
          bot_id: BOT_ID,
        };
      case 'apps.connections.open':
        return { ok: true, url: `${this.url.replace(/^http/, 'ws')}/socket` };
      case 'chat.postMessage': {
        if (this.notInChannels.has(String(body.channel))) {
          return { ok: false, error: 'not_in_channel' };
        }
        const invalid = this.invalidSlackFiles(body.blocks);
        if (invalid.length > 0) {
          return {
            ok: false,
            error: 'invalid_blocks',
            errors: invalid,
            response_metadata: { messages: invalid.map((e) => `[ERROR] ${e}`) },
          };
        }
        const ts = `${++this.ts}.000100`;
        return { ok: true, channel: body.channel, ts, message: { ...body, ts } };
      }
      case 'chat.update':
        return { ok: true, channel: body.channel, ts: body.ts, text: body.text };
      case 'chat.delete':
        return { ok: true, channel: body.channel, ts: body.ts };
      case 'users.info': {
        const id = String(body.user ?? '');
        return {
          ok: true,
          user: {
            id,
            team_id: TEAM_ID,
            name: id.toLowerCase(),
            is_admin: false,
            is_owner: false,
            is_primary_owner: false,
            is_bot: false,
            ...this.users.get(id),
          },
        };
      }
      case 'files.getUploadURLExternal': {
        const file_id = `F${String(++this.fileCount).padStart(10, '0')}`;
        this.files.set(file_id, {
          id: file_id,
          filename: String(body.filename ?? ''),
          length: Number(body.length),
          uploaded: false,
        });
        return { ok: true, file_id, upload_url: `${this.url}/upload/${file_id}` };
      }
      case 'files.completeUploadExternal': {
        const asked = Array.isArray(body.files) ? (body.files as Json[]) : [];
        const files = asked.flatMap((a) => {
          const file = this.files.get(String(a.id));
          return file?.uploaded ? [{ file, title: a.title }] : [];
        });
        if (files.length !== asked.length) return { ok: false, error: 'file_not_found' };
        const channel = typeof body.channel_id === 'string' ? body.channel_id : undefined;
        if (channel && this.notInChannels.has(channel))
          return { ok: false, error: 'not_in_channel' };
        return {
          ok: true,
          files: files.map(({ file: f, title }) => {
            f.completedAt = Date.now();
            f.title = typeof title === 'string' ? title : f.filename;
            if (channel) f.channel = channel;
            // As Slack answers at once: not yet processed, so no mimetype and no shares.
            return { id: f.id, title: f.title, name: f.filename, mimetype: '', channels: [] };
          }),
        };
      }
      case 'files.delete': {
        const id = String(body.file ?? '');
        if (!this.files.delete(id)) return { ok: false, error: 'file_not_found' };
        return { ok: true };
      }
      default:
        return { ok: true };
    }
  }

  /**
   * What Slack says of each image block whose `slack_file` it cannot show: a malformed id, a
   * file never issued, not completed, deleted, or still being processed.
   */
  private invalidSlackFiles(blocks: unknown): string[] {
    if (!Array.isArray(blocks)) return [];
    const out: string[] = [];
    blocks.forEach((block: Json, i) => {
      if (block?.type !== 'image' || block.slack_file === undefined) return;
      const where = `[json-pointer:/blocks/${i}/slack_file]`;
      const id = String((block.slack_file as Json).id ?? '');
      if (!FILE_ID_RE.test(id)) {
        out.push(`input must match regex pattern: ^[F][A-Z0-9]{8,}$ ${where}`);
        return;
      }
      const file = this.files.get(id);
      const ready =
        file?.completedAt !== undefined && Date.now() - file.completedAt >= this.fileProcessingMs;
      if (!ready) out.push(`invalid slack file ${where}`);
    });
    return out;
  }
}

// ---- signed HTTP requests, as Slack sends them ----------------------------------------------

export function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedOptions {
  secret: string;
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Replace the computed signature (to test rejection). */
  signature?: string;
  retryNum?: number;
  contentType?: string;
}

export interface HttpAnswer {
  status: number;
  text: string;
  json: Json | undefined;
}

export async function postSigned(
  url: string,
  body: string,
  options: SignedOptions,
): Promise<HttpAnswer> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': options.signature ?? signature(options.secret, timestamp, body),
  };
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  let json: Json | undefined;
  try {
    json = text ? (JSON.parse(text) as Json) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

// ---- payloads ---------------------------------------------------------------------------------

export function slashCommand(fields: {
  text: string;
  responseUrl: string;
  command?: string;
  user?: string;
  channel?: string;
}): Json {
  return {
    token: 'legacy-verification-token',
    team_id: TEAM_ID,
    team_domain: 'test',
    channel_id: fields.channel ?? 'C0INCIDENT',
    channel_name: 'incident',
    user_id: fields.user ?? 'U0ALICE',
    user_name: 'alice',
    command: fields.command ?? '/apt',
    text: fields.text,
    api_app_id: 'A0TEST',
    response_url: fields.responseUrl,
    trigger_id: 'trigger-1',
  };
}

export function form(fields: Json): string {
  return new URLSearchParams(
    Object.entries(fields).map(([k, v]): [string, string] => [
      k,
      typeof v === 'string' ? v : JSON.stringify(v),
    ]),
  ).toString();
}

let eventCounter = 0;

export function eventCallback(event: Json, eventId = `Ev${++eventCounter}`): Json {
  return {
    token: 'legacy-verification-token',
    team_id: TEAM_ID,
    api_app_id: 'A0TEST',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM_ID, user_id: BOT_USER_ID, is_bot: true }],
    event,
  };
}

export function mentionEvent(text: string, ts: string, extra: Json = {}): Json {
  return {
    type: 'app_mention',
    user: 'U0ALICE',
    text: `<@${BOT_USER_ID}> ${text}`,
    ts,
    channel: 'C0INCIDENT',
    event_ts: ts,
    ...extra,
  };
}

export function messageEvent(text: string, ts: string, extra: Json = {}): Json {
  return {
    type: 'message',
    user: 'U0ALICE',
    text,
    ts,
    channel: 'C0INCIDENT',
    channel_type: 'channel',
    event_ts: ts,
    ...extra,
  };
}

/** A person edited a channel message: Slack's message_changed event. */
export function messageChangedEvent(text: string, ts: string, extra: Json = {}): Json {
  return {
    type: 'message',
    subtype: 'message_changed',
    hidden: true,
    channel: 'C0INCIDENT',
    channel_type: 'channel',
    message: { type: 'message', user: 'U0ALICE', text, ts, edited: { user: 'U0ALICE', ts: '1' } },
    previous_message: { type: 'message', user: 'U0ALICE', text: '(before)', ts },
    ts: `${ts}9`,
    event_ts: `${ts}9`,
    ...extra,
  };
}

/** A person deleted a channel message: Slack's message_deleted event. */
export function messageDeletedEvent(ts: string, extra: Json = {}): Json {
  return {
    type: 'message',
    subtype: 'message_deleted',
    hidden: true,
    channel: 'C0INCIDENT',
    channel_type: 'channel',
    deleted_ts: ts,
    previous_message: { type: 'message', user: 'U0ALICE', text: '(before)', ts },
    ts: `${ts}8`,
    event_ts: `${ts}8`,
    ...extra,
  };
}

export function blockAction(fields: {
  actionId: string;
  value: string;
  responseUrl: string;
  ephemeral: boolean;
  messageTs?: string;
  threadTs?: string;
  channel?: string;
  user?: string;
  /** The blocks of the (public) message the button is on, as Slack sends them. */
  blocks?: unknown;
}): Json {
  const channel = fields.channel ?? 'C0INCIDENT';
  const messageTs = fields.messageTs ?? '1700000000.000001';
  return {
    type: 'block_actions',
    user: { id: fields.user ?? 'U0BOB', username: 'bob', name: 'bob', team_id: TEAM_ID },
    api_app_id: 'A0TEST',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: messageTs,
      channel_id: channel,
      is_ephemeral: fields.ephemeral,
      ...(fields.threadTs ? { thread_ts: fields.threadTs } : {}),
    },
    trigger_id: 'trigger-2',
    team: { id: TEAM_ID, domain: 'test' },
    channel: { id: channel, name: 'incident' },
    ...(fields.ephemeral
      ? {}
      : {
          message: {
            type: 'message',
            user: BOT_USER_ID,
            bot_id: BOT_ID,
            ts: messageTs,
            text: 'card',
            ...(fields.blocks ? { blocks: fields.blocks } : {}),
            ...(fields.threadTs ? { thread_ts: fields.threadTs } : {}),
          },
        }),
    response_url: fields.responseUrl,
    actions: [
      {
        action_id: fields.actionId,
        block_id: 'b1',
        text: { type: 'plain_text', text: 'button' },
        value: fields.value,
        type: 'button',
        action_ts: '1700000001.000001',
      },
    ],
  };
}
