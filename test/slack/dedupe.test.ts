import { describe, expect, it } from 'vitest';
import { EventClaims } from '../../adapters/slack/dedupe.js';
import { MemoryStore } from '../../src/state/memory.js';

describe('EventClaims', () => {
  it('claims a key once within the TTL', async () => {
    let now = 0;
    const d = new EventClaims(new MemoryStore(() => now), 1000);
    expect(await d.claim('event:Ev1')).toBe('fresh');
    expect(await d.claim('event:Ev1')).toBe('seen');
    now = 999;
    expect(await d.claim('event:Ev1')).toBe('seen');
    now = 999 + 1000;
    expect(await d.claim('event:Ev1')).toBe('fresh');
  });

  it('treats an event as seen if any of its keys was seen', async () => {
    const d = new EventClaims(new MemoryStore());
    expect(await d.claim('event:Ev1', 'msg:C1:1.1')).toBe('fresh');
    // Same message delivered under another event id.
    expect(await d.claim('event:Ev2', 'msg:C1:1.1')).toBe('seen');
    expect(await d.claim('event:Ev3', 'msg:C1:2.2')).toBe('fresh');
  });

  it('ignores missing ids', async () => {
    const d = new EventClaims(new MemoryStore());
    expect(await d.claim(undefined, 'msg:C1:1.1')).toBe('fresh');
    expect(await d.claim(undefined, 'msg:C1:2.2')).toBe('fresh');
  });

  it('lets exactly one of many concurrent claims of one event win', async () => {
    const store = new MemoryStore();
    const a = new EventClaims(store);
    const b = new EventClaims(store);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).claim('event:Ev9', 'msg:C1:9.9')),
    );
    expect(results.filter((r) => r === 'fresh')).toHaveLength(1);
  });

  it('says unavailable when the store fails, instead of guessing', async () => {
    const store = new MemoryStore();
    store.setIfAbsent = async () => {
      throw new Error('down');
    };
    expect(await new EventClaims(store).claim('event:Ev1')).toBe('unavailable');
  });
});
