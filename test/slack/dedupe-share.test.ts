import { describe, expect, it } from 'vitest';
import { Deduper } from '../../adapters/slack/dedupe.js';
import { decodeShare, encodeShare } from '../../adapters/slack/share.js';

describe('Deduper', () => {
  it('claims a key once within the TTL', () => {
    let now = 0;
    const d = new Deduper(1000, 100, () => now);
    expect(d.claim('event:Ev1')).toBe(true);
    expect(d.claim('event:Ev1')).toBe(false);
    now = 999;
    expect(d.claim('event:Ev1')).toBe(false);
    now = 999 + 1000;
    expect(d.claim('event:Ev1')).toBe(true);
  });

  it('treats an event as seen if any of its keys was seen', () => {
    const d = new Deduper();
    expect(d.claim('event:Ev1', 'msg:C1:1.1')).toBe(true);
    // Same message delivered under another event id.
    expect(d.claim('event:Ev2', 'msg:C1:1.1')).toBe(false);
    expect(d.claim('event:Ev3', 'msg:C1:2.2')).toBe(true);
  });

  it('ignores missing ids', () => {
    const d = new Deduper();
    expect(d.claim(undefined, 'msg:C1:1.1')).toBe(true);
    expect(d.claim(undefined, 'msg:C1:2.2')).toBe(true);
  });

  it('keeps at most max keys, forgetting the oldest', () => {
    const d = new Deduper(60_000, 3, () => 0);
    for (const k of ['a', 'b', 'c', 'd']) d.claim(k);
    expect(d.size).toBe(3);
    expect(d.claim('a')).toBe(true);
    expect(d.claim('d')).toBe(false);
  });

  it('expires old keys as time passes', () => {
    let now = 0;
    const d = new Deduper(10, 100, () => now);
    d.claim('a');
    d.claim('b');
    now = 20;
    d.claim('c');
    expect(d.size).toBe(1);
  });
});

describe('share values', () => {
  it('round-trips a query and an action, with or without a thread', () => {
    for (const spec of [
      { query: 'hammer panda' },
      { query: 'a|b|c "x" <!channel>', thread: '1712345678.123456' },
      { action: 'show:8650e8c5-55a5-4441-8903-0f2bf5753ef1' },
      { action: 'ops:2:8650e8c5', thread: '1.2' },
    ]) {
      const value = encodeShare(spec);
      expect(value).toBeDefined();
      expect(decodeShare(value ?? '')).toEqual(spec);
    }
  });

  it('drops a thread that is not a Slack ts', () => {
    expect(decodeShare(encodeShare({ query: 'x', thread: 'nope' }) ?? '')).toEqual({ query: 'x' });
  });

  it('rejects malformed values', () => {
    expect(decodeShare('')).toBeUndefined();
    expect(decodeShare('x|1.2|q')).toBeUndefined();
    expect(decodeShare('q|evil|q')).toBeUndefined();
    expect(decodeShare('a||')).toBeUndefined();
  });

  it("refuses values over Slack's 2000 characters", () => {
    expect(encodeShare({ query: 'x'.repeat(2000) })).toBeUndefined();
  });
});
