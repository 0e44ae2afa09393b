/**
 * The replies an adapter is working on, so that a shutdown can wait for them, but not forever:
 * `drain(deadline)` stops taking new work, waits for what is pending up to the deadline, then
 * aborts the rest (every outgoing call of the adapter listens to `signal`) and says how many were
 * dropped. Without it a SIGTERM while the platform's API is failing either waited for retries
 * that could last half an hour, or closed the state store under replies still being written.
 */

/** How long a stop waits for replies in flight when not told (SHUTDOWN_TIMEOUT's default). */
export const DEFAULT_SHUTDOWN_MS = 10_000;

/** Why outgoing calls were aborted: the adapter is stopping (or gave up starting). */
export class DroppedError extends Error {
  constructor() {
    super('dropped: the adapter is stopping');
    this.name = 'DroppedError';
  }
}

export class InFlight {
  private readonly pending = new Set<Promise<unknown>>();
  private readonly controller = new AbortController();
  private closed = false;
  private refusedCount = 0;

  /** Aborted when the shutdown deadline passes with work still pending. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Work pending now. */
  get size(): number {
    return this.pending.size;
  }

  /** Work that arrived after the shutdown began and was not started. */
  get refused(): number {
    return this.refusedCount;
  }

  /** Whether the deadline passed and pending work was dropped. */
  get dropping(): boolean {
    return this.controller.signal.aborted;
  }

  /**
   * Run `work` as one tracked reply and return its result (its rejection, too). Once the
   * shutdown has begun, new work is not started: it resolves undefined at once.
   */
  run<T>(work: () => Promise<T>): Promise<T | undefined> {
    if (this.closed) {
      this.refusedCount++;
      return Promise.resolve(undefined);
    }
    // An async wrapper, so that a synchronous throw becomes a rejection like any other.
    const running = (async () => work())();
    const settled = running.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
    return running;
  }

  /**
   * Stop taking new work; wait for the pending work up to `deadlineMs`; then abort what is
   * left. Resolves with how many replies were dropped (0 when all finished in time).
   */
  async drain(deadlineMs: number): Promise<number> {
    this.closed = true;
    if (this.pending.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, deadlineMs));
      });
      await Promise.race([Promise.allSettled([...this.pending]), deadline]);
      clearTimeout(timer);
    }
    const dropped = this.pending.size;
    if (dropped > 0) this.abort();
    return dropped;
  }

  /** Take no more work and abort every outgoing call now (a start-up given up, the deadline). */
  abort(): void {
    this.closed = true;
    if (!this.controller.signal.aborted) this.controller.abort(new DroppedError());
  }
}

/**
 * Resolve with `work`'s outcome, or undefined after `ms` if it has not settled by then: for the
 * last steps of a stop (closing a server, a socket) that must not hold the exit up.
 */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
