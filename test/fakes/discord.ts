/**
 * A small fake of Discord for driving the real discord.js Client on loopback: the REST routes
 * aptcard uses (recorded for assertions) and a gateway that identifies one bot, one guild and its
 * text channels, then dispatches whatever a test asks. See /work/shared/TESTING.md.
 *
 * Multipart requests (attachments) are recorded with their files.
 *
 * Used by test/e2e/discord*.test.ts and bench/discord.ts; depends only on node and ws.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type WebSocket, WebSocketServer } from 'ws';
import { type ApiFault, FaultTimers, never } from './faults.js';

export const BOT_ID = '900000000000000001';
export const APP_ID = '900000000000000002';
export const GUILD_ID = '900000000000000003';
export const CHANNEL_ID = '900000000000000010';
export const OTHER_CHANNEL_ID = '900000000000000011';
/** A public thread under CHANNEL_ID. */
export const THREAD_ID = '900000000000000012';
export const USER_ID = '900000000000000020';
export const OTHER_BOT_ID = '900000000000000021';
export const TOKEN = 'fake-discord-token';

const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;

/** A snowflake for `time` (ms since the Unix epoch): discord.js reads timestamps from ids. */
export function snowflake(time = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(time) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. /api/v10/channels/1/messages */
  path: string;
  query: string;
  authorization: string | undefined;
  body: unknown;
  /**
   * The files of a multipart request (discord.js sends attachments so: the message as
   * `payload_json`, which becomes `body`, and each file as `files[n]`).
   */
  files?: RecordedFile[];
  /** performance.now() when the request was complete. */
  at: number;
  /** What the fake answered (a posted message: the message, with the id the bot gets back). */
  response?: unknown;
}

export interface RecordedFile {
  /** The form field: "files[0]". */
  field: string;
  name: string;
  type: string;
  bytes: Buffer;
}

/** A multipart body read with undici's own FormData parser (Node's fetch). */
async function multipart(
  raw: Buffer,
  contentType: string,
): Promise<{ body: unknown; files: RecordedFile[] }> {
  const form = await new Response(new Uint8Array(raw), {
    headers: { 'content-type': contentType },
  }).formData();
  let body: unknown = {};
  const files: RecordedFile[] = [];
  for (const [field, value] of form) {
    if (typeof value === 'string') {
      if (field === 'payload_json') body = JSON.parse(value);
      continue;
    }
    files.push({
      field,
      name: value.name,
      type: value.type,
      bytes: Buffer.from(await value.arrayBuffer()),
    });
  }
  return { body, files };
}

export interface FakeOptions {
  /** Close the gateway with 4014 (disallowed intents) when IDENTIFY asks for any of these bits. */
  refuseIntents?: number;
  /** Answer GET /gateway/bot with 401, as Discord does for a wrong token. */
  rejectToken?: boolean;
  /** Accept gateway connections but never say HELLO (a gateway that hangs). */
  silentGateway?: boolean;
}

export interface User {
  id: string;
  username: string;
  bot?: boolean;
}

export const HUMAN: User = { id: USER_ID, username: 'analyst' };
/** A member's permissions in the channel, as the fake sends them by default (no Manage Channels). */
export const MEMBER_PERMISSIONS = '2248473465835073';
/** The same with Manage Channels (1 << 4). */
export const MANAGER_PERMISSIONS = (BigInt(MEMBER_PERMISSIONS) | 16n).toString();
export const OTHER_BOT: User = { id: OTHER_BOT_ID, username: 'otherbot', bot: true };
export const BOT_USER: User = { id: BOT_ID, username: 'aptcard', bot: true };

function userPayload(u: User) {
  return {
    id: u.id,
    username: u.username,
    discriminator: '0',
    global_name: null,
    avatar: null,
    ...(u.bot ? { bot: true } : {}),
  };
}

function textChannel(id: string, name: string) {
  return {
    id,
    type: 0,
    name,
    guild_id: GUILD_ID,
    position: 0,
    permission_overwrites: [],
    nsfw: false,
    parent_id: null,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
  };
}

export class FakeDiscord extends EventEmitter {
  readonly requests: RecordedRequest[] = [];
  /** The `intents` of every IDENTIFY received. */
  readonly identifies: number[] = [];
  /** Every REST request misbehaves so (see ApiFault) while set; requests are still recorded. */
  restFault: ApiFault | undefined;
  private readonly faultTimers = new FaultTimers();
  private readonly sockets = new Set<WebSocket>();
  private seq = 0;
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  port = 0;

  private constructor(readonly options: FakeOptions) {
    super();
    // Tests and the bench wait on many requests at once.
    this.setMaxListeners(0);
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.wss = new WebSocketServer({ server: this.server });
    this.wss.on('connection', (ws) => this.onConnection(ws));
  }

  static async start(options: FakeOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** The REST base for discord.js (`rest.api`) and DISCORD_API_URL. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get connected(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    this.faultTimers.clear();
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Requests recorded so far that carry a message (content, embeds or components). */
  messageBodies(): { request: RecordedRequest; data: Record<string, unknown> }[] {
    const out: { request: RecordedRequest; data: Record<string, unknown> }[] = [];
    for (const request of this.requests) {
      const data = messageData(request.body);
      if (data) out.push({ request, data });
    }
    return out;
  }

  /** The first recorded request (past or future) matching `match`. */
  waitForRequest(
    match: (r: RecordedRequest) => boolean,
    timeoutMs = 5000,
  ): Promise<RecordedRequest> {
    const found = this.requests.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('request', listener);
        reject(new Error('timed out waiting for a request to the fake Discord'));
      }, timeoutMs);
      const listener = (r: RecordedRequest) => {
        if (!match(r)) return;
        clearTimeout(timer);
        this.off('request', listener);
        resolve(r);
      };
      this.on('request', listener);
    });
  }

  /** Resolves once `condition()` holds (checked after each I/O turn); rejects after the timeout. */
  async waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!condition()) {
      if (performance.now() > deadline) throw new Error('timed out waiting on the fake Discord');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  // ------------------------------------------------------------------------------ gateway

  /** Close every gateway connection with a close code, as Discord does (e.g. 4004 after a token reset). */
  closeGateway(code: number, reason = 'closed by the fake'): void {
    for (const ws of this.sockets) ws.close(code, reason);
  }

  dispatch(t: string, d: unknown): void {
    this.seq++;
    const frame = JSON.stringify({ op: 0, s: this.seq, t, d });
    for (const ws of this.sockets) ws.send(frame);
  }

  private onConnection(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    if (this.options.silentGateway) return;
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41250 } }));
    ws.on('message', (raw) => {
      let packet: { op?: number; d?: { intents?: number } };
      try {
        packet = JSON.parse(String(raw));
      } catch {
        return;
      }
      if (packet.op === 1) ws.send(JSON.stringify({ op: 11 }));
      if (packet.op === 2) {
        const intents = packet.d?.intents ?? 0;
        this.identifies.push(intents);
        this.emit('identify', intents);
        if (this.options.refuseIntents && intents & this.options.refuseIntents) {
          ws.close(4014, 'Disallowed intent(s).');
          return;
        }
        this.seq = 0;
        this.dispatch('READY', {
          v: 10,
          user: { ...userPayload(BOT_USER), verified: true, flags: 0, mfa_enabled: false },
          guilds: [{ id: GUILD_ID, unavailable: true }],
          session_id: 'fake-session',
          resume_gateway_url: `ws://127.0.0.1:${this.port}`,
          shard: [0, 1],
          application: { id: APP_ID, flags: 0 },
        });
        this.dispatch('GUILD_CREATE', this.guild());
      }
    });
  }

  private guild() {
    return {
      id: GUILD_ID,
      name: 'CTI community',
      icon: null,
      owner_id: USER_ID,
      unavailable: false,
      member_count: 3,
      large: false,
      joined_at: new Date().toISOString(),
      features: [],
      roles: [
        {
          id: GUILD_ID,
          name: '@everyone',
          permissions: '1024',
          position: 0,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          flags: 0,
        },
      ],
      emojis: [],
      stickers: [],
      channels: [textChannel(CHANNEL_ID, 'intel'), textChannel(OTHER_CHANNEL_ID, 'random')],
      threads: [
        {
          id: THREAD_ID,
          type: 11,
          name: 'incident-42',
          guild_id: GUILD_ID,
          parent_id: CHANNEL_ID,
          owner_id: USER_ID,
          member_count: 1,
          message_count: 0,
          rate_limit_per_user: 0,
          thread_metadata: {
            archived: false,
            auto_archive_duration: 1440,
            archive_timestamp: new Date().toISOString(),
            locked: false,
          },
        },
      ],
      members: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      premium_tier: 0,
      nsfw_level: 0,
      preferred_locale: 'en-US',
      system_channel_flags: 0,
    };
  }

  // ------------------------------------------------------------------------------ events

  private interactionBase(
    type: number,
    channelId: string,
    at: number,
    permissions = MEMBER_PERMISSIONS,
  ) {
    const id = snowflake(at);
    return {
      id,
      token: `itoken-${id}`,
      application_id: APP_ID,
      type,
      guild_id: GUILD_ID,
      channel_id: channelId,
      channel: { id: channelId, type: 0, guild_id: GUILD_ID },
      member: {
        user: userPayload(HUMAN),
        roles: [],
        joined_at: new Date().toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
        permissions,
      },
      version: 1,
      app_permissions: '2248473465835073',
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': GUILD_ID },
      context: 0,
      attachment_size_limit: 8388608,
    };
  }

  /**
   * Dispatch `/apt query`. `ageMs` back-dates the interaction id, as if it had waited in a queue.
   * Returns the interaction id.
   */
  slashCommand(
    query: string,
    options: { ageMs?: number; channelId?: string; permissions?: string } = {},
  ): string {
    const payload = {
      ...this.interactionBase(
        2,
        options.channelId ?? CHANNEL_ID,
        Date.now() - (options.ageMs ?? 0),
        options.permissions,
      ),
      data: {
        id: '900000000000000099',
        name: 'apt',
        type: 1,
        options: [{ name: 'query', type: 3, value: query }],
      },
    };
    this.dispatch('INTERACTION_CREATE', payload);
    return payload.id;
  }

  autocomplete(typed: string): string {
    const payload = {
      ...this.interactionBase(4, CHANNEL_ID, Date.now()),
      data: {
        id: '900000000000000099',
        name: 'apt',
        type: 1,
        options: [{ name: 'query', type: 3, value: typed, focused: true }],
      },
    };
    this.dispatch('INTERACTION_CREATE', payload);
    return payload.id;
  }

  /** Press a button on `message` (a message object as the fake returned or recorded it). */
  pressButton(customId: string, message: FakeMessage): string {
    const payload = {
      ...this.interactionBase(3, message.channel_id, Date.now()),
      message,
      data: { custom_id: customId, component_type: 2 },
    };
    this.dispatch('INTERACTION_CREATE', payload);
    return payload.id;
  }

  chooseOption(customId: string, value: string, message: FakeMessage): string {
    const payload = {
      ...this.interactionBase(3, message.channel_id, Date.now()),
      message,
      data: { custom_id: customId, component_type: 3, values: [value] },
    };
    this.dispatch('INTERACTION_CREATE', payload);
    return payload.id;
  }

  /** A guild text message; `mentions` are the users it @-mentions. Returns the message id. */
  messageCreate(
    content: string,
    options: { author?: User; channelId?: string; mentions?: User[]; id?: string } = {},
  ): string {
    const message = this.guildMessage(content, options);
    this.dispatch('MESSAGE_CREATE', message);
    return message.id;
  }

  messageUpdate(
    id: string,
    content: string,
    options: { author?: User; channelId?: string; mentions?: User[] } = {},
  ): void {
    this.dispatch('MESSAGE_UPDATE', {
      ...this.guildMessage(content, { ...options, id }),
      edited_timestamp: new Date().toISOString(),
    });
  }

  messageDelete(id: string, channelId = CHANNEL_ID): void {
    this.dispatch('MESSAGE_DELETE', { id, channel_id: channelId, guild_id: GUILD_ID });
  }

  private guildMessage(
    content: string,
    options: { author?: User; channelId?: string; mentions?: User[]; id?: string },
  ): FakeMessage & { member: unknown; guild_id: string } {
    const author = options.author ?? HUMAN;
    return {
      ...baseMessage(options.id ?? snowflake(), options.channelId ?? CHANNEL_ID, author),
      guild_id: GUILD_ID,
      content,
      mentions: (options.mentions ?? []).map(userPayload),
      member: {
        roles: [],
        joined_at: new Date().toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
      },
    };
  }

  // ------------------------------------------------------------------------------ REST

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const contentType = String(req.headers['content-type']);
    let body: unknown = raw;
    let files: RecordedFile[] | undefined;
    if (raw && contentType.includes('application/json')) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    } else if (contentType.includes('multipart/form-data')) {
      ({ body, files } = await multipart(bytes, contentType));
    }
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      authorization: req.headers.authorization,
      body,
      ...(files ? { files } : {}),
      at: performance.now(),
    };
    this.requests.push(request);
    this.emit('request', request);
    const fault = this.restFault;
    if (fault?.kind === 'hang') return never();
    if (fault?.kind === 'delay') await this.faultTimers.wait(fault.ms);
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `fake ${fault.status}`, code: 0 }));
      return;
    }
    this.answer(request, res);
  }

  private answer(r: RecordedRequest, res: ServerResponse): void {
    const json = (status: number, payload: unknown) => {
      r.response = payload;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    const p = r.path.replace(/^\/api\/v\d+/, '');
    if (/^\/interactions\/\d+\/[^/]+\/callback$/.test(p)) {
      // Interaction callbacks carry no Authorization header. 204 with no content type (pitfall 1).
      res.writeHead(204);
      res.end();
      return;
    }
    if (/^\/webhooks\/\d+\/[^/]+(\/messages\/(@|%40)original)?$/.test(p)) {
      // Interaction follow-ups and edits authenticate with the token in the path.
      json(200, this.sentMessage(CHANNEL_ID, r.body));
      return;
    }
    if (r.authorization !== `Bot ${TOKEN}`) {
      json(401, { message: '401: Unauthorized', code: 0 });
      return;
    }
    if (r.method === 'GET' && p === '/gateway/bot') {
      if (this.options.rejectToken) {
        json(401, { message: '401: Unauthorized', code: 0 });
        return;
      }
      json(200, {
        url: `ws://127.0.0.1:${this.port}`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      });
      return;
    }
    const one = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(p);
    if (r.method === 'PATCH' && one?.[1] && one[2]) {
      json(200, { ...this.sentMessage(one[1], r.body), id: one[2] });
      return;
    }
    if (r.method === 'DELETE' && one?.[1]) {
      // 204 with no content type (pitfall 1).
      res.writeHead(204);
      res.end();
      return;
    }
    const channel = /^\/channels\/(\d+)\/messages$/.exec(p);
    if (r.method === 'POST' && channel?.[1]) {
      json(200, this.sentMessage(channel[1], r.body));
      return;
    }
    if (r.method === 'PUT' && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(p)) {
      const commands = Array.isArray(r.body) ? r.body : [];
      json(
        200,
        commands.map((c: unknown) => ({
          ...(typeof c === 'object' && c ? c : {}),
          id: snowflake(),
          application_id: APP_ID,
          version: snowflake(),
        })),
      );
      return;
    }
    json(404, { message: '404: Not Found', code: 0 });
  }

  /** The message Discord would return for a posted body. */
  sentMessage(channelId: string, body: unknown): FakeMessage {
    const data = (typeof body === 'object' && body ? body : {}) as Record<string, unknown>;
    return {
      ...baseMessage(snowflake(), channelId, BOT_USER),
      content: typeof data.content === 'string' ? data.content : '',
      embeds: Array.isArray(data.embeds) ? data.embeds : [],
      components: Array.isArray(data.components) ? data.components : [],
      flags: typeof data.flags === 'number' ? data.flags : 0,
      type: data.message_reference ? 19 : 0,
    };
  }
}

export interface FakeMessage {
  id: string;
  channel_id: string;
  author: ReturnType<typeof userPayload>;
  content: string;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: unknown[];
  mention_roles: string[];
  attachments: unknown[];
  embeds: unknown[];
  components: unknown[];
  pinned: boolean;
  type: number;
  flags: number;
}

function baseMessage(id: string, channelId: string, author: User): FakeMessage {
  return {
    id,
    channel_id: channelId,
    author: userPayload(author),
    content: '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    components: [],
    pinned: false,
    type: 0,
    flags: 0,
  };
}

/** The message part of a recorded body: a callback's `data`, or the body of a message POST. */
export function messageData(body: unknown): Record<string, unknown> | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  const inner =
    'type' in b && typeof b.data === 'object' && b.data !== null
      ? (b.data as Record<string, unknown>)
      : b;
  return 'embeds' in inner || 'content' in inner || 'components' in inner ? inner : undefined;
}
