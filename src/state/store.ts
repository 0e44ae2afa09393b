/**
 * The state port: everything the bot remembers between messages (Slack event ids, enrichment
 * cooldowns and what was posted per message, long-query button references, channel settings)
 * goes through this, so it can live in memory (tests), in a file (the default, survives
 * restarts) or in Redis (several replicas). The core and the adapters only know this interface.
 */
export interface StateStore {
  /** Where the state lives, for logs ("memory", a file path, a Redis URL without password). */
  readonly name: string;
  /**
   * Set `key` unless it holds a live value: true when this call set it. Atomic across every
   * process sharing the store, so exactly one of two replicas claiming a key wins.
   */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  get(key: string): Promise<string | undefined>;
  /** Set `key`; without `ttlMs` it never expires. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every live key starting with `prefix`, with its value (small sets: channel settings). */
  entries(prefix: string): Promise<[string, string][]>;
  close(): Promise<void>;
}

/** The store could not answer (Redis down or slow, a locked file): callers decide what to skip. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** A state file or server that cannot be used at start-up, in words an operator can act on. */
export class StateSetupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateSetupError';
  }
}

/** A JSON document under `key`, or undefined when absent or unreadable. */
export async function getJson<T>(store: StateStore, key: string): Promise<T | undefined> {
  const raw = await store.get(key);
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return undefined;
  }
}
