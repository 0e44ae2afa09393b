/**
 * Remembers what was already answered, so Slack's retried deliveries (`x-slack-retry-num`,
 * Socket Mode `retry_attempt`) and duplicate events (same `event_id`, or the same channel and
 * `ts`) never produce a second post. Keys expire after `ttlMs` (Slack retries within minutes);
 * at most `max` keys are kept, oldest dropped first.
 */
export class Deduper {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = 15 * 60_000,
    private readonly max = 20_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * True when none of `keys` was seen within the TTL. Records every key either way, so an
   * event is claimed the moment its handler starts and a concurrent retry is dropped.
   * Empty keys (an id Slack did not send) are ignored.
   */
  claim(...keys: (string | undefined)[]): boolean {
    const t = this.now();
    this.expire(t);
    let fresh = true;
    for (const key of keys) {
      if (!key) continue;
      const at = this.seen.get(key);
      if (at !== undefined && t - at < this.ttlMs) fresh = false;
      this.seen.delete(key);
      this.seen.set(key, t);
    }
    while (this.seen.size > this.max) {
      const oldest = this.seen.keys().next().value;
      if (oldest === undefined) break;
      this.seen.delete(oldest);
    }
    return fresh;
  }

  get size(): number {
    return this.seen.size;
  }

  private expire(t: number): void {
    // Insertion order is time order (claim re-inserts), so stop at the first live key.
    for (const [key, at] of this.seen) {
      if (t - at < this.ttlMs) break;
      this.seen.delete(key);
    }
  }
}
