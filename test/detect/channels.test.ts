/** The channel part of the enrichment policy: Discord's opt-in list, ENRICH=false, threads. */
import { describe, expect, it } from 'vitest';
import { channelKey, OptInChannels } from '../../src/detect/channels.js';

describe('OptInChannels', () => {
  it('allows the listed channels and the threads under them, nothing else', () => {
    const channels = new OptInChannels({ enabled: true }, ['111', '222']);
    expect(channels.any).toBe(true);
    expect(channels.allows('111')).toBe(true);
    expect(channels.allows('333')).toBe(false);
    expect(channels.allows('444', '222')).toBe(true);
    expect(channels.allows('444', null)).toBe(false);
  });

  it("'*' is every channel; an empty list is none", () => {
    expect(new OptInChannels({ enabled: true }, ['*']).allows('999')).toBe(true);
    const none = new OptInChannels({ enabled: true }, []);
    expect(none.any).toBe(false);
    expect(none.allows('999')).toBe(false);
  });

  it('ENRICH=false turns every listed channel off', () => {
    const off = new OptInChannels({ enabled: false }, ['111', '*']);
    expect(off.any).toBe(false);
    expect(off.channels).toEqual([]);
    expect(off.allows('111')).toBe(false);
  });
});

describe('channelKey', () => {
  it('compares by id or name, case-insensitively, with or without #', () => {
    expect(channelKey(' #Random ')).toBe('random');
    expect(channelKey('C0MUTED')).toBe('c0muted');
  });
});
