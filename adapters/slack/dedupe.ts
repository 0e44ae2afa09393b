import type { StateStore } from '../../src/state/store.js';

/** What a claim found: the first to claim, seen before, or the store could not tell. */
export type Claim = 'fresh' | 'seen' | 'unavailable';

/**
 * Remembers what was already answered, in the state store, so Slack's retried deliveries
 * (`x-slack-retry-num`, Socket Mode `retry_attempt`) and duplicate events (same `event_id`, or
 * the same channel and `ts`) never produce a second post: not after a restart (the file), not
 * on another replica (Redis). Keys expire after `ttlMs` (Slack retries within minutes).
 */
export class EventClaims {
  constructor(
    private readonly store: StateStore,
    private readonly ttlMs = 15 * 60_000,
  ) {}

  /**
   * 'fresh' when this call claimed every one of `keys` (each an atomic set-if-absent), 'seen'
   * when one was already claimed. Keys are claimed one after another, in the order given, and
   * the first one taken decides: two replicas racing on one retried event (same first key) can
   * never both lose nor both win. Empty keys (an id Slack did not send) are ignored.
   */
  async claim(...keys: (string | undefined)[]): Promise<Claim> {
    try {
      for (const key of keys) {
        if (!key) continue;
        if (!(await this.store.setIfAbsent(`slack:${key}`, '1', this.ttlMs))) return 'seen';
      }
      return 'fresh';
    } catch {
      return 'unavailable';
    }
  }
}
