import type { StateStore } from './store.js';

interface Entry {
  value: string;
  /** Milliseconds since the epoch; Infinity: never. */
  expires: number;
}

/** Entries kept before expired ones are swept. */
const SWEEP_AT = 20_000;

/** In one process's memory: for tests, the console, and as the measure the others are held to. */
export class MemoryStore implements StateStore {
  readonly name = 'memory';
  private readonly map = new Map<string, Entry>();

  /** `now`: milliseconds since the epoch; tests pass a fake clock. */
  constructor(private readonly now: () => number = Date.now) {}

  private live(key: string): Entry | undefined {
    const entry = this.map.get(key);
    if (entry && entry.expires <= this.now()) {
      this.map.delete(key);
      return undefined;
    }
    return entry;
  }

  private put(key: string, value: string, ttlMs?: number): void {
    this.map.set(key, { value, expires: ttlMs === undefined ? Infinity : this.now() + ttlMs });
    if (this.map.size > SWEEP_AT) {
      const t = this.now();
      for (const [k, e] of this.map) if (e.expires <= t) this.map.delete(k);
    }
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false;
    this.put(key, value, ttlMs);
    return true;
  }

  async get(key: string): Promise<string | undefined> {
    return this.live(key)?.value;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.put(key, value, ttlMs);
  }

  async delete(key: string): Promise<void> {
    this.map.delete(key);
  }

  async entries(prefix: string): Promise<[string, string][]> {
    const out: [string, string][] = [];
    for (const key of [...this.map.keys()].sort()) {
      const entry = key.startsWith(prefix) ? this.live(key) : undefined;
      if (entry) out.push([key, entry.value]);
    }
    return out;
  }

  async close(): Promise<void> {}

  get size(): number {
    return this.map.size;
  }
}
