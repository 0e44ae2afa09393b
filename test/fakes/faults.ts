/**
 * How a fake platform API misbehaves, for the fault tests (test/hostile/*-faults.test.ts): an
 * HTTP error status (Slack or Discord having an outage), no answer at all (a black-holed
 * connection), or an answer that comes late. Shared by test/fakes/slack.ts and discord.ts.
 */
export type ApiFault =
  /** `retryAfterS`: a Retry-After header (with 429: a rate limit the client must wait out). */
  | { kind: 'status'; status: number; retryAfterS?: number }
  | { kind: 'hang' }
  | { kind: 'delay'; ms: number };

/**
 * Timers of late answers, cleared when the fake closes (a test must not leave a timer behind).
 * `wait(ms)` resolves after `ms`, or never if the fake closes first.
 */
export class FaultTimers {
  private readonly timers = new Set<NodeJS.Timeout>();

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

/** A promise that never settles: the request it answers stays open until the fake closes. */
export const never = (): Promise<never> => new Promise<never>(() => {});
