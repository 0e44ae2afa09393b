import { describe, expect, it } from 'vitest';
import { AliasEnricher } from '../../src/detect/enricher.js';
import { SearchIndex } from '../../src/search/index.js';
import { GuardedStore } from '../../src/state/guarded.js';
import { MemoryStore } from '../../src/state/memory.js';
import { StoreUnavailableError } from '../../src/state/store.js';
import { memoryLogger } from '../e2e/discord-setup.js';
import { fixtureCatalog } from '../fixtures/detect/cards.js';
import { enrichmentConfig } from '../helpers/enrichment.js';

/** A memory store that can be made to hang (a Redis that stopped answering). */
class HangingStore extends MemoryStore {
  hang = false;
  override setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return this.hang ? new Promise(() => {}) : super.setIfAbsent(key, value, ttlMs);
  }
}

const CONFIG = enrichmentConfig();

describe('GuardedStore', () => {
  it('gives up on a call past its deadline, then works again when the store answers', async () => {
    const log = memoryLogger();
    const inner = new HangingStore();
    const store = new GuardedStore(inner, { logger: log.logger, timeoutMs: 50 });
    inner.hang = true;
    const started = Date.now();
    await expect(store.setIfAbsent('k', '1', 1000)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(store.available).toBe(false);
    inner.hang = false;
    expect(await store.setIfAbsent('k', '1', 1000)).toBe(true);
    expect(store.available).toBe(true);
    expect(log.lines().map((l) => l.msg)).toEqual([
      'state store unavailable: answering people, skipping automatic enrichment until it is back',
      'state store is back',
    ]);
  });

  it('makes the enricher post nothing while the store cannot answer, and resume after', async () => {
    const inner = new HangingStore();
    const store = new GuardedStore(inner, { logger: memoryLogger().logger, timeoutMs: 50 });
    const enricher = new AliasEnricher(CONFIG, { store });
    const index = new SearchIndex(fixtureCatalog());
    const message = { kind: 'message' as const, text: 'Turla', platform: 'slack', channel: 'C1' };
    inner.hang = true;
    expect(await enricher.enrich(message, index)).toBeNull();
    inner.hang = false;
    expect((await enricher.enrich(message, index))?.kind).toBe('enrichment');
    // And the cooldown it recorded holds.
    expect(await enricher.enrich(message, index)).toBeNull();
  });
});
