import type { Logger } from '../log.js';
import { type StateStore, StoreUnavailableError } from './store.js';

export interface GuardOptions {
  /** A call not answered in this time counts as a failure. Default: 500 ms. */
  timeoutMs?: number;
  logger: Logger;
}

/**
 * Wraps a store so that every call has a deadline and every failure is a StoreUnavailableError,
 * and says once when the store goes away and once when it is back (not once per message in a
 * busy channel). It does not retry: the next call simply tries again, so it recovers by itself.
 */
export class GuardedStore implements StateStore {
  readonly name: string;
  private up = true;
  private readonly timeoutMs: number;
  private readonly logger: Logger;

  constructor(
    readonly inner: StateStore,
    options: GuardOptions,
  ) {
    this.name = inner.name;
    this.timeoutMs = options.timeoutMs ?? 500;
    this.logger = options.logger;
  }

  get available(): boolean {
    return this.up;
  }

  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer in ${this.timeoutMs} ms`)),
          this.timeoutMs,
        );
      });
      const value = await Promise.race([run(), deadline]);
      if (!this.up) {
        this.up = true;
        this.logger.info({ store: this.name }, 'state store is back');
      }
      return value;
    } catch (err) {
      if (this.up) {
        this.up = false;
        this.logger.warn(
          { store: this.name, err, op: what },
          'state store unavailable: answering people, skipping automatic enrichment until it is back',
        );
      }
      throw new StoreUnavailableError(`state store ${what} failed`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return this.call('setIfAbsent', () => this.inner.setIfAbsent(key, value, ttlMs));
  }
  get(key: string): Promise<string | undefined> {
    return this.call('get', () => this.inner.get(key));
  }
  set(key: string, value: string, ttlMs?: number): Promise<void> {
    return this.call('set', () => this.inner.set(key, value, ttlMs));
  }
  delete(key: string): Promise<void> {
    return this.call('delete', () => this.inner.delete(key));
  }
  entries(prefix: string): Promise<[string, string][]> {
    return this.call('entries', () => this.inner.entries(prefix));
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
