import type { Reply } from '../../src/core/types.js';
import { getJson, type StateStore } from '../../src/state/store.js';

/** Edits come within hours; a day-old reply is left as it is. */
const REPLY_TTL_MS = 24 * 3600_000;

export interface ReplyRecord {
  /** The bot's reply message. */
  ts: string;
  /** The actors it shows, in order. */
  uuids: string[];
}

/**
 * What each enrichment reply shows, by the message it answers (`<platform>:reply:<channel>:<id>`),
 * kept in the state store so that edits and deletes are followed after a restart and on any
 * replica.
 */
export class ReplyRecords {
  constructor(
    private readonly store: StateStore,
    private readonly platform: string,
  ) {}

  private key(channel: string, ts: string): string {
    return `${this.platform}:reply:${channel}:${ts}`;
  }

  /** After posting an enrichment reply to the message (channel, ts). Best effort. */
  async remember(channel: string, ts: string, replyTs: string | undefined, reply: Reply) {
    if (!replyTs || reply.kind !== 'enrichment') return;
    const record: ReplyRecord = { ts: replyTs, uuids: reply.actors.map((a) => a.uuid) };
    await this.store
      .set(this.key(channel, ts), JSON.stringify(record), REPLY_TTL_MS)
      .catch(() => {});
  }

  get(channel: string, ts: string): Promise<ReplyRecord | undefined> {
    return getJson<ReplyRecord>(this.store, this.key(channel, ts));
  }

  save(channel: string, ts: string, record: ReplyRecord): Promise<void> {
    return this.store.set(this.key(channel, ts), JSON.stringify(record), REPLY_TTL_MS);
  }

  forget(channel: string, ts: string): Promise<void> {
    return this.store.delete(this.key(channel, ts));
  }
}
