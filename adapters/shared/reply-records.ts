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
 * replica; and which message each reply answers (`<platform>:answers:<channel>:<reply id>`), so
 * that "Not this actor", pressed on the reply, keeps its record in step.
 */
export class ReplyRecords {
  constructor(
    private readonly store: StateStore,
    private readonly platform: string,
  ) {}

  private key(channel: string, ts: string): string {
    return `${this.platform}:reply:${channel}:${ts}`;
  }

  private answersKey(channel: string, replyTs: string): string {
    return `${this.platform}:answers:${channel}:${replyTs}`;
  }

  /** After posting an enrichment reply to the message (channel, ts). Best effort. */
  async remember(channel: string, ts: string, replyTs: string | undefined, reply: Reply) {
    if (!replyTs || reply.kind !== 'enrichment') return;
    const record: ReplyRecord = { ts: replyTs, uuids: reply.actors.map((a) => a.uuid) };
    await Promise.all([
      this.store.set(this.key(channel, ts), JSON.stringify(record), REPLY_TTL_MS),
      this.store.set(this.answersKey(channel, replyTs), ts, REPLY_TTL_MS),
    ]).catch(() => {});
  }

  /**
   * The reply `replyTs` now shows `reply` (its lines after "Not this actor"; none: it was
   * deleted): its record follows. Best effort: an edit then finds the record as it was, and the
   * enrichment policy leaves muted names out anyway.
   */
  async replyChanged(channel: string, replyTs: string, reply: Reply): Promise<void> {
    if (reply.kind !== 'enrichment') return;
    try {
      const ts = await this.store.get(this.answersKey(channel, replyTs));
      if (ts === undefined) return;
      if (reply.actors.length > 0) {
        await this.save(channel, ts, { ts: replyTs, uuids: reply.actors.map((a) => a.uuid) });
        return;
      }
      await this.forget(channel, ts);
      await this.store.delete(this.answersKey(channel, replyTs));
    } catch {
      // The store is down: see above.
    }
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
