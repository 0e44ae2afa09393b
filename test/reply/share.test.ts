/**
 * The one Share encoding of every platform (src/reply/share.ts): what the Slack share values
 * and the Discord `share:` custom ids both are now. The properties the old Slack encoding was
 * tested for (round trip with and without a thread, a bad thread dropped, malformed values
 * refused, the platform's length limit) hold for it.
 */
import { describe, expect, it } from 'vitest';
import type { BotAction } from '../../src/core/types.js';
import { decodeAction, encodeAction } from '../../src/reply/actions.js';
import { decodeShare, encodeShare, isShare } from '../../src/reply/share.js';

const UUID = '8650e8c5-55a5-4441-8903-0f2bf5753ef1';

describe('share values', () => {
  it('round-trips a query, a card and a page, with or without a thread', () => {
    const cases: [BotAction, string | undefined][] = [
      [{ type: 'list', query: 'hammer panda', page: 0 }, undefined],
      [{ type: 'list', query: 'a|b|c "x" <!channel>', page: 0 }, '1712345678.123456'],
      [{ type: 'show', uuid: UUID }, undefined],
      [{ type: 'ops', uuid: '8650e8c5', page: 2 }, '1.2'],
    ];
    for (const [action, thread] of cases) {
      const value = encodeShare(action, { maxLength: 2000, ...(thread ? { thread } : {}) });
      expect(value).toBeDefined();
      const share = decodeShare(value ?? '');
      expect(share).toEqual({ action: encodeAction(action, 2000), ...(thread ? { thread } : {}) });
      expect(decodeAction(share?.action ?? '')).toEqual(action);
    }
  });

  it('is the same value on both platforms: share:<encoded action>', () => {
    expect(encodeShare({ type: 'show', uuid: UUID })).toBe(`share:show:${UUID}`);
    expect(encodeShare({ type: 'show', uuid: UUID }, { thread: '1700000000.000100' })).toBe(
      `share:1700000000.000100|show:${UUID}`,
    );
  });

  it('drops a thread that is not a Slack ts', () => {
    const value = encodeShare({ type: 'list', query: 'x', page: 0 }, { thread: 'nope' });
    expect(decodeShare(value ?? '')).toEqual({ action: 'list:0:x' });
  });

  it('rejects malformed values', () => {
    expect(decodeShare('')).toBeUndefined();
    expect(decodeShare('show:x')).toBeUndefined();
    expect(decodeShare('x|1.2|q')).toBeUndefined();
    expect(decodeShare('share:')).toBeUndefined();
    expect(decodeShare('share:1.2|')).toBeUndefined();
    expect(isShare('show:x')).toBe(false);
    expect(isShare('share:show:x')).toBe(true);
  });

  it('stays within the length given: a long query goes by reference, an absurd uuid not at all', () => {
    const long = encodeShare({ type: 'list', query: 'x'.repeat(500), page: 0 });
    expect(long).toMatch(/^share:qref:0:[\w-]{16}$/);
    expect(long?.length).toBeLessThanOrEqual(100);
    expect(
      encodeShare({ type: 'show', uuid: 'u'.repeat(2000) }, { maxLength: 2000 }),
    ).toBeUndefined();
  });
});
